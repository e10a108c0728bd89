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
	fSecret
	fExpires
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
	// others are the saved connections, for the name check; selfID is the
	// connection being edited.
	others  []store.Connection
	selfID  string
	baseURL string
	// store keeps the secret; its backend in effect is read each time,
	// as the vault may be chosen while the form is open.
	store *store.Store
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
	f := form{mode: mode, styles: c.styles, keys: newFormKeys(), others: others, baseURL: c.baseURL, store: c.mgr.Store, width: 80}
	f.keys.Guide.SetEnabled(mode == modeCreate)
	add := func(id fieldID, label, hint, placeholder string, limit int) {
		f.fields = append(f.fields, field{id: id, label: label, hint: hint, input: newInput(placeholder, limit)})
	}
	if mode != modeRotate {
		add(fName, "Name", "A name you will know it by, unique among your connections, such as prod or acme-eu.", "e.g. prod", store.MaxNameLen)
		add(fDescription, "Description", "Optional: what this connection is for.", "optional", store.MaxDescriptionLen)
		add(fTenant, "Tenant", "Your vanity domain (acme in acme.zslogin.net), or paste any address of your ZIdentity portal.", "e.g. acme, or paste the portal address", 512)
		add(fCloud, "Cloud", "production, beta, gov, govus or another cloud's name; set from a pasted address.", "production", 20)
		add(fClientID, "Client ID", "From Integration > API Clients, in the Client ID column.", "", store.MaxClientIDLen)
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
	add(fExpires, "Secret expires", "Optional: the secret's expiration date from the portal, as YYYY-MM-DD.", "YYYY-MM-DD", 10)

	if conn != nil {
		f.selfID = conn.ID
		f.prefill(fName, conn.Name)
		f.prefill(fDescription, conn.Description)
		f.prefill(fTenant, conn.Vanity)
		f.prefill(fCloud, zidentity.Cloud(conn.Cloud).String())
		f.prefill(fClientID, conn.ClientID)
		f.set(fExpires, conn.SecretExpires.String())
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

// init focuses the first field.
func (f form) init() (form, tea.Cmd) {
	return f, f.focusIndex(0)
}

func (f *form) focusIndex(i int) tea.Cmd {
	for j := range f.fields {
		f.fields[j].input.Blur()
	}
	f.focus = i
	return f.fields[i].input.Focus()
}

// focusField moves the focus to a field, as after a failed verification.
func (f *form) focusField(id fieldID) tea.Cmd {
	if i := f.index(id); i >= 0 {
		return f.focusIndex(i)
	}
	return nil
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

func (f form) update(msg tea.Msg) (form, tea.Cmd) {
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
		case key.Matches(k, f.keys.Prev):
			f.leave()
			return f, f.focusIndex(max(0, f.focus-1))
		case key.Matches(k, f.keys.Next, f.keys.Enter):
			f.leave()
			if f.focus < len(f.fields)-1 {
				return f, f.focusIndex(f.focus + 1)
			}
			if key.Matches(k, f.keys.Enter) {
				return f.submit()
			}
			return f, nil
		}
	}
	if p, ok := msg.(tea.PasteMsg); ok && f.fields[f.focus].id == fSecret {
		if err := pastedSecretProblem(p.Content); err != nil {
			fl := &f.fields[f.focus]
			fl.refused, fl.err, fl.touched = err, err, true
			f.banner = ""
			return f, nil
		}
	}
	before := f.fields[f.focus].input.Value()
	var cmd tea.Cmd
	f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
	if f.fields[f.focus].input.Value() != before {
		f.banner = ""
		f.changed(f.fields[f.focus].id)
	}
	return f, cmd
}

// leave marks the focused field as visited, so its errors show.
func (f *form) leave() {
	f.fields[f.focus].touched = true
	f.validate(f.fields[f.focus].id)
}

// changed re-validates a field as it is typed; a tenant that names its
// cloud sets the cloud.
func (f *form) changed(id fieldID) {
	if i := f.index(id); i >= 0 {
		f.fields[i].refused = nil
	}
	f.validate(id)
	if id == fTenant {
		if t, err := zidentity.ParseTenant(f.value(fTenant)); err == nil && t.Cloud != "" {
			f.set(fCloud, t.Cloud.String())
		}
		f.validate(fCloud)
	}
}

// submit validates every field and either moves the focus to the first
// problem or asks the parent to go on.
func (f form) submit() (form, tea.Cmd) {
	first := -1
	for i := range f.fields {
		f.fields[i].touched = true
		f.validate(f.fields[i].id)
		if f.fields[i].err != nil && first < 0 {
			first = i
		}
	}
	if first >= 0 {
		f.banner, f.bannerBad = "Fix the marked field first.", true
		return f, f.focusIndex(first)
	}
	f.out.emit(formSubmitMsg{})
	return f, nil
}

// validate checks one field and records its problem, or nil.
func (f *form) validate(id fieldID) {
	if i := f.index(id); i >= 0 {
		f.fields[i].err = f.problem(id)
	}
}

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
		case v == "" && f.mode != modeEdit:
			err = errors.New("paste the client secret: it was shown once when it was added in Integration > API Clients")
		case v != "":
			if err = store.ValidateSecret(store.NormalizeSecret(v)); err == nil {
				err = store.CheckSecretLen(f.store.Secrets(), v)
			}
		}
	case fExpires:
		_, err = store.ParseDate(v)
	}
	return err
}

// pastedSecretProblem returns why a pasted secret cannot go into the
// field as it is: what no backend keeps byte for byte (store.ValidateSecret),
// or several lines, which a one-line field would join with spaces.
func pastedSecretProblem(s string) error {
	s = store.NormalizeSecret(s)
	if err := store.ValidateSecret(s); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("the secret has more than one line, which this field cannot hold: paste only the client secret from Integration > API Clients")
	}
	return nil
}

// shownError returns a field's error once it is worth showing: after the
// field was left, or while typing for anything but a missing value.
func (f *form) shownError(i int) error {
	fl := f.fields[i]
	if fl.err == nil || (!fl.touched && fl.input.Value() == "") {
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
		Name:          f.value(fName),
		Description:   f.value(fDescription),
		Vanity:        t.Vanity,
		Cloud:         t.Cloud.String(),
		ClientID:      f.value(fClientID),
		SecretExpires: exp,
	}
}

// changes returns the form's values as edits to c.
func (f *form) changes(c store.Connection) manager.Changes {
	n := f.connection()
	ch := manager.Changes{Secret: f.secret(), SecretExpires: &n.SecretExpires}
	if f.mode == modeEdit {
		ch.Name, ch.Description, ch.Vanity, ch.Cloud, ch.ClientID = &n.Name, &n.Description, &n.Vanity, &n.Cloud, &n.ClientID
	}
	return ch
}

// secret returns the typed secret. Pasting turns a trailing newline into
// a space, which store.NormalizeSecret drops.
func (f *form) secret() string { return store.NormalizeSecret(f.value(fSecret)) }

// fieldFor returns the field most likely to need fixing after err.
func fieldFor(err error) (fieldID, bool) {
	var taken *store.NameTakenError
	switch {
	case errors.As(err, &taken):
		return fName, true
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

func (f form) view() string {
	s := f.styles
	var b strings.Builder
	valueWidth := max(10, f.width-labelWidth-6)
	for i, fl := range f.fields {
		marker := "  "
		label := s.Label.Render(pad(fl.label, labelWidth))
		if i == f.focus {
			marker = s.Focused.Render("> ")
			label = s.Focused.Render(pad(fl.label, labelWidth))
		}
		b.WriteString(marker + label + fl.input.View() + "\n")
		if fl.id == fTenant {
			if note := f.tokenNote(); note != "" {
				b.WriteString(strings.Repeat(" ", labelWidth+2) + s.Muted.Render(ansi.Truncate(clean(note), valueWidth, "…")) + "\n")
			}
		}
		if err := f.shownError(i); err != nil {
			b.WriteString(hang(s.Error.Render(ansi.Wordwrap("✗ "+safetext.Clean(err.Error(), 300), valueWidth, " ")), labelWidth+2) + "\n")
		}
	}
	b.WriteString("\n")
	if f.banner != "" {
		st := s.Success
		if f.bannerBad {
			st = s.Error
		}
		b.WriteString(st.Render(ansi.Wordwrap(clean(f.banner), max(20, f.width-4), " ")) + "\n")
	} else {
		b.WriteString(s.Muted.Render(ansi.Wordwrap(clean(f.hint()), max(20, f.width-4), " ")) + "\n")
	}
	return b.String()
}

// hint is the focused field's help; the secret's names where it goes.
func (f *form) hint() string {
	fl := f.fields[f.focus]
	if fl.id != fSecret {
		return fl.hint
	}
	backend := f.store.Secrets().Backend()
	switch f.mode {
	case modeEdit:
		return "Leave empty to keep the saved secret; a new one is verified first, then kept in the " + backend + "."
	case modeRotate:
		return "Add a secret in Integration > API Clients, then paste it; the old one stays until this one works. The new one is kept in the " + backend + "."
	}
	return "Shown once when the secret was added; paste it here. It goes to the " + backend + " only, never to a file."
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

// helpKeys are the form's keys for the footer.
func (f form) helpKeys() help.KeyMap {
	k := f.keys
	return keyHelp{k.Next, k.Prev, k.Submit, k.Guide, k.Cancel}
}
