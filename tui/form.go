package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// fieldID names a field of the connection form.
type fieldID int

const (
	fName fieldID = iota
	fDescription
	fTenant
	fCloud
	fClientID
	fMethod
	fSecret
	fKey
	fKeyFile
	fExpires
	fMore
	fZPACustomerID
	fZPAMicrotenantID
	fPartnerID
)

// fieldKind says how a field takes input and draws itself.
type fieldKind int

const (
	// kindText is a one-line text input.
	kindText fieldKind = iota
	// kindMethod chooses the authentication method.
	kindMethod
	// kindKey takes a private key, pasted or typed, and never shows it.
	kindKey
	// kindMore opens and closes the More section.
	kindMore
)

// formMode says what the form is for.
type formMode int

const (
	modeCreate formMode = iota
	modeEdit
	modeRotate
)

type field struct {
	id      fieldID
	kind    fieldKind
	label   string
	hint    string
	input   textinput.Model
	touched bool
	err     error
	// refused is why the last paste was refused, until the value
	// changes: the input would have changed what was pasted.
	refused error
}

// form is the connection form: the New Connection wizard's, the editor's
// and the rotation's. It validates each field as it is typed and left.
type form struct {
	mode   formMode
	fields []field
	focus  int
	styles *Styles
	keys   formKeys
	width  int
	// height is the lines the form may take; 0 means no limit.
	height int
	// others are the saved connections, for the name check; selfID is the
	// connection being edited.
	others  []store.Connection
	selfID  string
	baseURL string
	// store keeps the secret; its backend in effect is read each time,
	// as the vault may be chosen while the form is open.
	store *store.Store
	// method is the authentication method chosen; saved is the edited
	// connection's ("" when creating), savedExpires its expiry date.
	method, saved store.AuthMethod
	savedExpires  string
	// key is the private key pasted or read from the key file; keySeq
	// numbers the file reads, so that only the last one counts.
	key    keyField
	keySeq int
	// more is whether the More section (the optional IDs) is open.
	more bool
	// discarding is set while the rest of a private key typed into a
	// form without a key field arrives: its keys are dropped, up to its
	// END line (held in line, and nowhere else) or a key no paste sends.
	discarding bool
	line       []byte
	// banner is the outcome of the last submit, shown above the help.
	banner    string
	bannerBad bool
	out       outbox
}

// Messages the form sends its parent.
type (
	formSubmitMsg struct{}
	formCancelMsg struct{}
	formGuideMsg  struct{}
)

const labelWidth = 16

func newInput(placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

// newForm builds the form for a mode; conn fills it when editing or
// rotating.
func newForm(c *common, mode formMode, others []store.Connection, conn *store.Connection) form {
	f := form{mode: mode, styles: c.styles, keys: newFormKeys(), others: others, baseURL: c.baseURL, store: c.mgr.Store, width: 80, method: store.AuthSecret}
	f.keys.Guide.SetEnabled(mode == modeCreate)
	add := func(id fieldID, label, hint, placeholder string, limit int) {
		f.fields = append(f.fields, field{id: id, label: label, hint: hint, input: newInput(placeholder, limit)})
	}
	// A field that is not text keeps an empty input, only for the focus:
	// it never gets a key, nor is drawn.
	special := func(id fieldID, kind fieldKind, label string) {
		f.fields = append(f.fields, field{id: id, kind: kind, label: label, input: newInput("", 1)})
	}
	if mode != modeRotate {
		add(fName, "Name", "A name you will know it by, unique among your connections, such as prod or acme-eu.", "e.g. prod", store.MaxNameLen)
		add(fDescription, "Description", "Optional: what this connection is for.", "optional", store.MaxDescriptionLen)
		add(fTenant, "Tenant", "Your vanity domain (acme in acme.zslogin.net), or paste any address of your ZIdentity portal.", "e.g. acme, or paste the portal address", 512)
		add(fCloud, "Cloud", zidentity.KnownCloudList(", ")+" or another cloud's name; set from a pasted address.", "production", 20)
		add(fClientID, "Client ID", "From Integration > API Clients, in the Client ID column.", "", store.MaxClientIDLen)
		special(fMethod, kindMethod, "Authentication")
	}
	secretPlaceholder := ""
	label := "Client secret"
	switch mode {
	case modeEdit:
		secretPlaceholder = "unchanged"
	case modeRotate:
		label = "New secret"
	}
	// The secret's hint names the backend in effect when it is drawn.
	add(fSecret, label, "", secretPlaceholder, 0)
	f.fields[len(f.fields)-1].input.EchoMode = textinput.EchoPassword
	f.fields[len(f.fields)-1].input.EchoCharacter = '•'
	special(fKey, kindKey, "Private key")
	if mode == modeRotate {
		f.fields[len(f.fields)-1].label = "New key"
	}
	add(fKeyFile, "or Key file", "Or the path of the private key's PEM file (~ is your home folder): zconn reads it, and never changes or copies it.", "e.g. ~/keys/zscaler.pem", 4096)
	add(fExpires, "Secret expires", "", "YYYY-MM-DD", 10)
	if mode != modeRotate {
		special(fMore, kindMore, "More")
		add(fZPACustomerID, "ZPA customer ID", "Optional: the ZPA customer ID (digits), which ZPA tools read from ZPA_CUSTOMER_ID; env and exec set it.", "optional, digits", store.MaxZPAIDLen)
		add(fZPAMicrotenantID, "ZPA microtenant", "Optional: the ZPA microtenant ID (digits), for ZPA_MICROTENANT_ID.", "optional, digits", store.MaxZPAIDLen)
		add(fPartnerID, "Partner ID", "Optional: the partner ID that partner integrations send (ZSCALER_PARTNER_ID).", "optional", store.MaxPartnerIDLen)
	}

	if conn != nil {
		f.selfID = conn.ID
		f.saved = conn.AuthMethod
		if f.saved != store.AuthPrivateKey {
			f.saved = store.AuthSecret
		}
		f.method = f.saved
		f.savedExpires = conn.SecretExpires.String()
		f.prefill(fName, conn.Name)
		f.prefill(fDescription, conn.Description)
		f.prefill(fTenant, conn.Vanity)
		f.prefill(fCloud, zidentity.Cloud(conn.Cloud).String())
		f.prefill(fClientID, conn.ClientID)
		f.set(fExpires, f.savedExpires)
		f.prefill(fZPACustomerID, conn.ZPACustomerID)
		f.prefill(fZPAMicrotenantID, conn.ZPAMicrotenantID)
		f.prefill(fPartnerID, conn.PartnerID)
		f.more = mode == modeEdit && (conn.ZPACustomerID != "" || conn.ZPAMicrotenantID != "" || conn.PartnerID != "")
	}
	if mode == modeEdit && f.saved == store.AuthPrivateKey {
		f.fields[f.index(fSecret)].input.Placeholder = ""
	}
	return f
}

// prefill sets a field to a saved value. A value that holds what a
// terminal would act on (from a hand-edited file) is shown, and so saved,
// cleaned: the form edits what it shows.
func (f *form) prefill(id fieldID, v string) {
	if !safetext.Printable(v) {
		v = clean(v)
	}
	f.set(id, v)
}

func (f *form) index(id fieldID) int {
	for i := range f.fields {
		if f.fields[i].id == id {
			return i
		}
	}
	return -1
}

func (f *form) set(id fieldID, v string) {
	if i := f.index(id); i >= 0 {
		f.fields[i].input.SetValue(v)
		f.fields[i].input.CursorEnd()
	}
}

func (f *form) value(id fieldID) string {
	if i := f.index(id); i >= 0 {
		return strings.TrimSpace(f.fields[i].input.Value())
	}
	return ""
}

// init focuses the first field shown.
func (f form) init() (form, tea.Cmd) {
	return f, f.focusIndex(max(0, f.step(-1, 1)))
}

func (f *form) focusIndex(i int) tea.Cmd {
	for j := range f.fields {
		f.fields[j].input.Blur()
	}
	f.focus = i
	return f.fields[i].input.Focus()
}

// focusField moves the focus to a field, as after a failed verification;
// a field in the closed More section opens it.
func (f *form) focusField(id fieldID) tea.Cmd {
	if i := f.index(id); i >= 0 {
		if f.inMore(id) {
			f.more = true
		}
		return f.focusIndex(i)
	}
	return nil
}

// shown reports whether a field is on the form: the secret or the key
// fields by the method chosen, the optional IDs while More is open.
func (f *form) shown(i int) bool {
	switch id := f.fields[i].id; {
	case id == fSecret:
		return f.method != store.AuthPrivateKey
	case id == fKey, id == fKeyFile:
		return f.method == store.AuthPrivateKey
	case f.inMore(id):
		return f.more
	}
	return true
}

// inMore reports whether a field is one of the More section's.
func (f *form) inMore(id fieldID) bool {
	return id == fZPACustomerID || id == fZPAMicrotenantID || id == fPartnerID
}

// step returns the next field shown from i in direction dir (1 or -1),
// or -1 when there is none.
func (f *form) step(i, dir int) int {
	for i += dir; i >= 0 && i < len(f.fields); i += dir {
		if f.shown(i) {
			return i
		}
	}
	return -1
}

// setSize fits the form to its page: width by height lines.
func (f *form) setSize(w, h int) {
	f.height = h
	f.setWidth(w)
}

func (f *form) setWidth(w int) {
	f.width = w
	inputWidth := max(10, min(60, w-labelWidth-6))
	for i := range f.fields {
		f.fields[i].input.SetWidth(inputWidth)
	}
}

// setBanner shows the outcome of a submit.
func (f *form) setBanner(msg string, bad bool) { f.banner, f.bannerBad = msg, bad }

// showFailure shows why a submit failed, with its fix, and focuses the
// field that most likely needs fixing.
func (f *form) showFailure(err error) tea.Cmd {
	f.setBanner(errorText(err, 400), true)
	if id, ok := f.fieldFor(err); ok {
		return f.focusField(id)
	}
	return nil
}

// hostDeclined goes back to the tenant after the person said no to
// sending the credentials to a cloud zconn does not know; a rotation,
// which cannot change the tenant, only says so.
func (f *form) hostDeclined() tea.Cmd {
	f.setBanner(backToTenantBanner, true)
	if f.mode == modeRotate {
		return nil
	}
	return f.focusField(fTenant)
}

// updateForm hands msg to a page's form, then what the form asked of its
// page to the page's update.
func updateForm(f *form, msg tea.Msg, pageUpdate func(tea.Msg) tea.Cmd) tea.Cmd {
	var cmd tea.Cmd
	*f, cmd = f.update(msg)
	cmds := []tea.Cmd{cmd}
	for _, m := range f.out.take() {
		cmds = append(cmds, pageUpdate(m))
	}
	return tea.Batch(cmds...)
}

func (f form) update(msg tea.Msg) (form, tea.Cmd) {
	if m, ok := msg.(keyFileMsg); ok {
		return f.keyFileRead(m)
	}
	fl := &f.fields[f.focus]
	if k, ok := msg.(tea.KeyPressMsg); ok && f.discarding && f.discard(k) {
		return f, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.Cancel):
			f.out.emit(formCancelMsg{})
			return f, nil
		case key.Matches(k, f.keys.Guide):
			f.out.emit(formGuideMsg{})
			return f, nil
		case key.Matches(k, f.keys.Submit):
			return f.submit()
		case fl.kind == kindKey && key.Matches(k, f.keys.LineBreak):
			// A key pasted without bracketed paste arrives as keys, its
			// line ends as enter: enter never leaves this field.
			f.typeKey("\n")
			return f, nil
		case key.Matches(k, f.keys.Prev):
			cmd := f.leave()
			if i := f.step(f.focus, -1); i >= 0 {
				return f, tea.Batch(cmd, f.focusIndex(i))
			}
			return f, cmd
		case key.Matches(k, f.keys.Next, f.keys.Enter):
			cmd := f.leave()
			if i := f.step(f.focus, 1); i >= 0 {
				return f, tea.Batch(cmd, f.focusIndex(i))
			}
			if key.Matches(k, f.keys.Enter) {
				next, more := f.submit()
				return next, tea.Batch(cmd, more)
			}
			return f, cmd
		}
		switch fl.kind {
		case kindMethod:
			f.chooseKey(k)
			return f, nil
		case kindMore:
			switch {
			case key.Matches(k, f.keys.Space):
				f.more = !f.more
			case key.Matches(k, f.keys.Right):
				f.more = true
			case key.Matches(k, f.keys.Left):
				f.more = false
			}
			return f, nil
		case kindKey:
			switch {
			case key.Matches(k, f.keys.ClearKey):
				f.key.reset()
				f.banner = ""
				f.validate(fKey)
			case k.Text != "" && k.Mod&^tea.ModShift == 0:
				f.typeKey(k.Text)
			}
			return f, nil
		}
	}
	if p, ok := msg.(tea.PasteMsg); ok {
		switch {
		case fl.kind == kindKey:
			f.key.paste(p.Content)
			f.set(fKeyFile, "")
			f.keySeq++
			f.banner = ""
			fl.touched = true
			f.validate(fKey)
			f.validate(fKeyFile)
			return f, nil
		case fl.kind != kindText:
			return f, nil
		case store.LooksLikePrivateKey(p.Content):
			if f.toKeyField(fl, p.Content) {
				return f, f.focusField(fKey)
			}
			f.discarding = false
			return f, nil
		case fl.id == fSecret:
			if err := pastedSecretProblem(p.Content); err != nil {
				fl.refused, fl.err, fl.touched = err, err, true
				f.banner = ""
				return f, nil
			}
		}
	}
	if fl.kind != kindText {
		return f, nil
	}
	before := fl.input.Value()
	var cmd tea.Cmd
	fl.input, cmd = fl.input.Update(msg)
	if fl.input.Value() != before {
		f.banner = ""
		if f.divertKey(fl) {
			return f, f.focusField(fKey)
		}
		if f.discarding {
			// The field refused the key; its refusal stands.
			return f, cmd
		}
		f.changed(fl.id)
	}
	return f, cmd
}

// discard drops a key of a private key that has nowhere to go, and
// reports whether it did: the rest of the key ends with its END line.
func (f *form) discard(k tea.KeyPressMsg) bool {
	switch {
	case key.Matches(k, f.keys.LineBreak):
		end := store.EndsPEM(f.line)
		clear(f.line)
		f.line = f.line[:0]
		f.discarding = !end
		return true
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		if len(f.line) < 256 {
			f.line = append(f.line, k.Text...)
		}
		return true
	}
	clear(f.line)
	f.line, f.discarding = nil, false
	return false
}

// divertKey takes PEM text out of a text field the moment "-----BEGIN"
// is typed, as a terminal without bracketed paste types a pasted key into
// the field that has the focus (every text field holds at least those 10
// characters): it goes to the key field (toKeyField), and the lines that
// follow with it. It reports whether the focus should move there.
func (f *form) divertKey(fl *field) bool {
	v := fl.input.Value()
	at := strings.Index(v, "-----BEGIN")
	if at < 0 {
		return false
	}
	fl.input.SetValue(v[:at])
	fl.input.CursorEnd()
	f.validate(fl.id)
	return f.toKeyField(fl, v[at:])
}

// toKeyField puts a private key that came to the text field fl into the
// key field, which shows none of it, choosing that method, and reports
// whether it did. A form without a key field (the rotation of a secret)
// refuses it instead, and drops the rest of a key still being typed.
func (f *form) toKeyField(fl *field, text string) bool {
	if f.index(fMethod) < 0 && !f.keyed() {
		err := errors.New("that looks like a private key, which never goes in this field: paste only the client secret")
		fl.refused, fl.err, fl.touched = err, err, true
		f.banner = ""
		f.discarding = true
		return false
	}
	f.choose(store.AuthPrivateKey)
	f.set(fKeyFile, "")
	f.keySeq++
	f.key.paste(text)
	f.fields[f.index(fKey)].touched = true
	f.validate(fKey)
	f.banner, f.bannerBad = "That looks like a private key: it goes in the Private key field, which shows none of it.", false
	return true
}

// chooseKey acts on a key typed on the method's row.
func (f *form) chooseKey(k tea.KeyPressMsg) {
	m := f.method
	switch {
	case key.Matches(k, f.keys.Left):
		m = store.AuthSecret
	case key.Matches(k, f.keys.Right):
		m = store.AuthPrivateKey
	case key.Matches(k, f.keys.Space):
		m = store.AuthPrivateKey
		if f.method == store.AuthPrivateKey {
			m = store.AuthSecret
		}
	}
	f.choose(m)
}

// choose sets the authentication method. In the editor, an expiry date
// left as saved belongs to the old credential, so switching away clears
// it and switching back brings it back.
func (f *form) choose(m store.AuthMethod) {
	if m == f.method {
		return
	}
	f.method = m
	f.banner = ""
	if f.mode == modeEdit {
		switch exp := f.value(fExpires); {
		case m != f.saved && exp == f.savedExpires:
			f.set(fExpires, "")
		case m == f.saved && exp == "":
			f.set(fExpires, f.savedExpires)
		}
		f.validate(fExpires)
	}
	f.validate(fSecret)
	f.validate(fKey)
}

// typeKey adds typed text to the key field; the key file's path gives
// way to it.
func (f *form) typeKey(s string) {
	if f.key.path != "" {
		f.set(fKeyFile, "")
		f.keySeq++
	}
	f.key.add(s)
	if f.bannerBad {
		// An outcome the typing answers; a notice, such as where a key
		// went, stays.
		f.banner = ""
	}
	f.validate(fKey)
	f.validate(fKeyFile)
}

// keyFileRead takes the outcome of reading the key file, unless the path
// changed since; a submit that waited for it goes on.
func (f form) keyFileRead(m keyFileMsg) (form, tea.Cmd) {
	if m.seq != f.keySeq || m.path != f.value(fKeyFile) {
		return f, nil
	}
	f.key.fromFile(m.path, m.key, m.err)
	i := f.index(fKeyFile)
	f.fields[i].touched = true
	f.validate(fKey)
	f.validate(fKeyFile)
	if m.submit {
		return f.submit()
	}
	return f, nil
}

// pendingKeyFile returns the key file's path when it was typed but not
// yet read.
func (f *form) pendingKeyFile() (string, bool) {
	p := f.value(fKeyFile)
	return p, f.method == store.AuthPrivateKey && p != "" && p != f.key.path
}

// leave marks the focused field as visited, so its errors show, and
// starts reading a key file whose path was typed.
func (f *form) leave() tea.Cmd {
	id := f.fields[f.focus].id
	f.fields[f.focus].touched = true
	f.validate(id)
	if p, ok := f.pendingKeyFile(); ok && id == fKeyFile {
		f.keySeq++
		return readKeyFileCmd(p, f.keySeq, false)
	}
	return nil
}

// changed re-validates a field as it is typed; a tenant that names its
// cloud sets the cloud; a new key file's path drops the key read from
// the last one.
func (f *form) changed(id fieldID) {
	if i := f.index(id); i >= 0 {
		f.fields[i].refused = nil
	}
	f.validate(id)
	switch id {
	case fTenant:
		if t, err := zidentity.ParseTenant(f.value(fTenant)); err == nil && t.Cloud != "" {
			f.set(fCloud, t.Cloud.String())
		}
		f.validate(fCloud)
	case fKeyFile:
		if f.key.path != "" {
			f.key.reset()
		}
		f.keySeq++
		f.validate(fKey)
	}
}

// submit validates every field and either moves the focus to the first
// problem or asks the parent to go on. A key file whose path was typed
// is read first.
func (f form) submit() (form, tea.Cmd) {
	if p, ok := f.pendingKeyFile(); ok {
		f.keySeq++
		f.banner, f.bannerBad = "Reading the key file…", false
		return f, readKeyFileCmd(p, f.keySeq, true)
	}
	first := -1
	for i := range f.fields {
		if !f.shown(i) && !f.inMore(f.fields[i].id) {
			continue
		}
		f.fields[i].touched = true
		f.validate(f.fields[i].id)
		if f.fields[i].err != nil && first < 0 {
			first = i
		}
	}
	if first >= 0 {
		f.banner, f.bannerBad = "Fix the marked field first.", true
		return f, f.focusField(f.fields[first].id)
	}
	f.banner = ""
	f.out.emit(formSubmitMsg{})
	return f, nil
}

// validate checks one field and records its problem, or nil.
func (f *form) validate(id fieldID) {
	if i := f.index(id); i >= 0 {
		f.fields[i].err = f.problem(id)
	}
}

// secretRequired reports whether the form needs a secret: always but in
// the editor of a connection that has one.
func (f *form) secretRequired() bool { return f.mode != modeEdit || f.saved != f.method }

// problem returns what is wrong with a field's value, or nil.
func (f *form) problem(id fieldID) error {
	v := f.value(id)
	var err error
	switch id {
	case fName:
		if err = store.ValidateName(v); err == nil {
			err = store.CheckName(f.others, v, f.selfID)
		}
	case fDescription:
		err = store.ValidateDescription(v)
	case fTenant:
		_, err = zidentity.ResolveTenant(v, "")
	case fCloud:
		err = cloudProblem(f.value(fTenant), v)
	case fClientID:
		err = store.ValidateClientID(v)
	case fSecret:
		switch {
		case f.fields[f.index(id)].refused != nil:
			err = f.fields[f.index(id)].refused
		case v == "" && f.secretRequired():
			err = errors.New("paste the client secret: it was shown once when it was added in Integration > API Clients")
		case v != "":
			err = store.CheckSecret(f.store.Secrets(), store.NormalizeSecret(v))
		}
	case fKey:
		switch k := f.key; {
		case k.err != nil && k.path == "":
			err = k.err
		case k.key != nil:
			err = store.CheckKeyLen(f.store.Secrets(), k.key.Encode())
		case f.value(fKeyFile) == "" && f.secretRequired():
			err = errors.New("paste the private key here, or give its file below: the RSA key whose public half the API client holds")
		}
	case fKeyFile:
		if k := f.key; k.err != nil && k.path != "" && k.path == v {
			err = k.err
		}
	case fExpires:
		_, err = store.ParseDate(v)
	case fZPACustomerID:
		err = store.ValidateZPACustomerID(v)
	case fZPAMicrotenantID:
		err = store.ValidateZPAMicrotenantID(v)
	case fPartnerID:
		err = store.ValidatePartnerID(v)
	}
	return err
}

// pastedSecretProblem returns why a pasted secret cannot go into the
// field as it is (store.ValidateSecret): a one-line field would join
// several lines with spaces, and no backend keeps every byte.
func pastedSecretProblem(s string) error { return store.ValidateSecret(store.NormalizeSecret(s)) }

// shownError returns a field's error once it is worth showing: after the
// field was left, or while typing for anything but a missing value (for
// the key, once its END line came).
func (f *form) shownError(i int) error {
	fl := f.fields[i]
	typed := fl.input.Value() != ""
	if fl.kind == kindKey {
		typed = len(f.key.text) > 0 && !f.key.receiving()
	}
	if fl.err == nil || (!fl.touched && !typed) {
		return nil
	}
	return fl.err
}

// cloudProblem returns what is wrong with the cloud field: a name that
// does not parse, or one the tenant's address contradicts.
func cloudProblem(tenant, cloud string) error {
	_, err := zidentity.ResolveTenant(tenant, cloud)
	if conflict := (*zidentity.CloudConflictError)(nil); errors.As(err, &conflict) {
		return fmt.Errorf("the tenant's address is in the %s cloud: set the cloud to %s, or paste another address", conflict.AddressCloud, conflict.AddressCloud)
	}
	if in := (*zidentity.InputError)(nil); errors.As(err, &in) && in.Input == zidentity.TenantInput {
		// The tenant field shows the tenant's problem; the cloud may
		// still have its own.
		_, err = zidentity.ParseCloud(cloud)
	}
	return err
}

// tenant returns the tenant the form describes.
func (f *form) tenant() (zidentity.Tenant, error) {
	return zidentity.ResolveTenant(f.value(fTenant), f.value(fCloud))
}

// tokenNote says, under the tenant, where the credentials will go.
func (f *form) tokenNote() string {
	t, err := f.tenant()
	if err != nil {
		return ""
	}
	u, err := (&zidentity.Client{}).TokenURL(t)
	if err != nil {
		return ""
	}
	if f.baseURL != "" {
		return "→ " + t.Host() + ", sent to " + f.baseURL + " (ZCONN_ZIDENTITY_URL)"
	}
	return "→ " + u
}

// connection returns the form's values as a connection (not saved).
func (f *form) connection() store.Connection {
	t, _ := f.tenant()
	exp, _ := store.ParseDate(f.value(fExpires))
	return store.Connection{
		Name:             f.value(fName),
		Description:      f.value(fDescription),
		Vanity:           t.Vanity,
		Cloud:            t.Cloud.String(),
		ClientID:         f.value(fClientID),
		AuthMethod:       f.method,
		SecretExpires:    exp,
		ZPACustomerID:    f.value(fZPACustomerID),
		ZPAMicrotenantID: f.value(fZPAMicrotenantID),
		PartnerID:        f.value(fPartnerID),
	}
}

// changes returns the form's values as edits to the connection: in the editor every
// field (an emptied ID clears it) and a switch of method; when rotating,
// the new secret or key and its expiry.
func (f *form) changes() manager.Changes {
	n := f.connection()
	ch := manager.Changes{Secret: f.credential(), SecretExpires: &n.SecretExpires}
	if f.mode == modeEdit {
		ch.Name, ch.Description, ch.Vanity, ch.Cloud, ch.ClientID = &n.Name, &n.Description, &n.Vanity, &n.Cloud, &n.ClientID
		ch.ZPACustomerID, ch.ZPAMicrotenantID, ch.PartnerID = &n.ZPACustomerID, &n.ZPAMicrotenantID, &n.PartnerID
		if f.method != f.saved {
			m := f.method
			ch.AuthMethod = &m
		}
	}
	return ch
}

// secret returns the typed secret. Pasting turns a trailing newline into
// a space, which store.NormalizeSecret drops.
func (f *form) secret() string { return store.NormalizeSecret(f.value(fSecret)) }

// credential returns what proves the client by the method chosen: the
// secret, or the private key in its compact stored form; "" when none
// was given.
func (f *form) credential() string {
	if f.method != store.AuthPrivateKey {
		return f.secret()
	}
	if f.key.key == nil {
		return ""
	}
	return f.key.key.Encode()
}

// keyed reports whether the form is for a private key.
func (f *form) keyed() bool { return f.method == store.AuthPrivateKey }

// credentialField is the field that takes the secret or the key.
func (f *form) credentialField() fieldID {
	if f.keyed() {
		return fKey
	}
	return fSecret
}

// fieldFor returns the field most likely to need fixing after err:
// fSecret stands for the secret or the key.
func fieldFor(err error) (fieldID, bool) {
	var (
		taken    *store.NameTakenError
		tooLarge *store.SecretTooLargeError
		method   *manager.MethodChangeError
	)
	switch {
	case errors.As(err, &taken):
		return fName, true
	case errors.As(err, &tooLarge), errors.As(err, &method), errors.Is(err, zidentity.ErrKeyRefused):
		return fSecret, true
	}
	switch zidentity.CategoryOf(err) {
	case zidentity.Rejected:
		return fSecret, true
	case zidentity.TenantNotFound, zidentity.Redirected, zidentity.UnexpectedStatus, zidentity.Malformed, zidentity.TooLarge:
		return fTenant, true
	case zidentity.Forbidden:
		return fClientID, true
	}
	return 0, false
}

// fieldFor returns the form's field most likely to need fixing after err.
func (f *form) fieldFor(err error) (fieldID, bool) {
	id, ok := fieldFor(err)
	if id == fSecret {
		id = f.credentialField()
	}
	return id, ok
}

// label is a field's label; the expiry's names the credential.
func (f *form) label(fl field) string {
	if fl.id == fExpires && f.keyed() {
		return "Key expires"
	}
	return fl.label
}

// view draws the fields, then the banner or the focused field's hint.
// When they do not fit the height, the fields scroll to keep the focused
// one on screen, and the banner or hint stays.
func (f form) view() string {
	s := f.styles
	var b strings.Builder
	valueWidth := max(10, f.width-labelWidth-6)
	focusEnd := 0
	for i, fl := range f.fields {
		if !f.shown(i) {
			continue
		}
		focused := i == f.focus
		marker := "  "
		label := s.Label.Render(pad(f.label(fl), labelWidth))
		if focused {
			marker = s.Focused.Render("> ")
			label = s.Focused.Render(pad(f.label(fl), labelWidth))
		}
		b.WriteString(marker + label + f.fieldView(fl, focused, valueWidth) + "\n")
		if fl.id == fTenant {
			if note := f.tokenNote(); note != "" {
				b.WriteString(strings.Repeat(" ", labelWidth+2) + s.Muted.Render(ansi.Truncate(clean(note), valueWidth, "…")) + "\n")
			}
		}
		if err := f.shownError(i); err != nil {
			// Wrap breaks a word longer than the line, such as a path.
			b.WriteString(hang(s.Error.Render(ansi.Wrap("✗ "+safetext.Clean(hint(err), 300), valueWidth, " ")), labelWidth+2) + "\n")
		}
		if focused {
			focusEnd = strings.Count(b.String(), "\n")
		}
	}
	var foot string
	if f.banner != "" {
		st := s.Success
		if f.bannerBad {
			st = s.Error
		}
		foot = st.Render(ansi.Wordwrap(clean(f.banner), max(20, f.width-4), " "))
	} else {
		foot = s.Muted.Render(ansi.Wordwrap(clean(f.hint()), max(20, f.width-4), " "))
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	room := f.height - 1 - (strings.Count(foot, "\n") + 1)
	if f.height > 0 && len(lines) > room && room > 0 {
		start := max(0, focusEnd-room)
		lines = lines[start : start+room]
	}
	return strings.Join(lines, "\n") + "\n\n" + foot + "\n"
}

// fieldView draws a field's value.
func (f *form) fieldView(fl field, focused bool, width int) string {
	s := f.styles
	switch fl.kind {
	case kindMethod:
		option := func(m store.AuthMethod, name string) string {
			if f.method == m {
				if focused {
					return s.Focused.Render("(•) " + name)
				}
				return "(•) " + name
			}
			return s.Muted.Render("( ) " + name)
		}
		return option(store.AuthSecret, "Secret") + "   " + option(store.AuthPrivateKey, "Private key")
	case kindMore:
		mark := "▸ "
		if f.more {
			mark = "▾ "
		}
		v := "ZPA and partner IDs (optional)"
		if n := f.idsSet(); n > 0 && !f.more {
			v = fmt.Sprintf("ZPA and partner IDs: %d set", n)
		}
		return mark + v
	case kindKey:
		return f.key.view(s, focused, f.keyPlaceholder(), width)
	}
	return fl.input.View()
}

// idsSet counts the optional IDs that hold a value.
func (f *form) idsSet() int {
	n := 0
	for _, id := range []fieldID{fZPACustomerID, fZPAMicrotenantID, fPartnerID} {
		if f.value(id) != "" {
			n++
		}
	}
	return n
}

// keyPlaceholder is what the empty key field says.
func (f *form) keyPlaceholder() string {
	if f.value(fKeyFile) != "" {
		return "from the file below"
	}
	if !f.secretRequired() {
		return "unchanged"
	}
	return "paste the PEM here; it is never shown"
}

// hint is the focused field's help; the secret's and the key's name
// where they go.
func (f *form) hint() string {
	fl := f.fields[f.focus]
	backend := f.store.Secrets().Backend()
	switch fl.id {
	case fMethod:
		h := "Secret: Client Authentication > Secret in the portal, shown once with an expiration date. Private key: the portal holds a public key or certificate, and you hold its private half."
		if f.mode == modeEdit {
			h += " A switch is verified with the new secret or key before anything changes."
		}
		return h
	case fSecret:
		switch {
		case f.mode == modeEdit && f.saved != f.method:
			return "Paste the client secret from Client Authentication > Secret; it is verified before anything changes, then kept in the " + backend + "."
		case f.mode == modeEdit:
			return "Leave empty to keep the saved secret; a new one is verified first, then kept in the " + backend + "."
		case f.mode == modeRotate:
			return "Add a secret in Integration > API Clients, then paste it; the old one stays until this one works. The new one is kept in the " + backend + "."
		}
		return "Shown once when the secret was added; paste it here. It goes to the " + backend + " only, never to a file."
	case fKey:
		keys := " enter adds a line, tab moves on, backspace clears."
		switch {
		case f.mode == modeEdit && f.saved != f.method:
			return "Paste the private key whose public half the API client now holds, or give its file below; it is verified before anything changes, then kept in the " + backend + "." + keys
		case f.mode == modeEdit:
			return "Leave empty to keep the saved key; a new one is verified first, then kept in the " + backend + "." + keys
		case f.mode == modeRotate:
			return "Add the new public key or certificate to the API client in Integration > API Clients, then paste its private key; the old key stays until this one works. The new one is kept in the " + backend + "." + keys
		}
		return "Paste the private key (PEM): only its size and fingerprint are shown. It goes to the " + backend + " only, never to a file." + keys
	case fExpires:
		if f.keyed() {
			return "Optional: when the public key or certificate the API client holds expires, as YYYY-MM-DD."
		}
		return "Optional: the secret's expiration date from the portal, as YYYY-MM-DD."
	case fMore:
		if f.more {
			return "space closes the section; what you typed in it stays."
		}
		return "Optional: ZPA customer and microtenant IDs for ZPA tools, and a partner ID; env and exec hand them over. space opens them; enter verifies without them."
	}
	return fl.hint
}

// hang indents every line of a block by n spaces.
func hang(block string, n int) string {
	ind := strings.Repeat(" ", n)
	return ind + strings.ReplaceAll(block, "\n", "\n"+ind)
}

// pad right-pads s with spaces to width cells.
func pad(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// helpKeys are the form's keys for the footer, with those of the
// focused field.
func (f form) helpKeys() help.KeyMap {
	k := f.keys
	switch f.fields[f.focus].kind {
	case kindMethod:
		return keyHelp{k.Choose, k.Next, k.Prev, k.Submit, k.Cancel}
	case kindMore:
		return keyHelp{k.Open, k.Next, k.Prev, k.Submit, k.Cancel}
	case kindKey:
		return keyHelp{k.Next, k.Prev, k.ClearKey, k.Submit, k.Cancel}
	}
	return keyHelp{k.Next, k.Prev, k.Submit, k.Guide, k.Cancel}
}
