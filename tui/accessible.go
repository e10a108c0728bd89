package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/zconn/zconn/internal/humantime"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// errInputEnded means the prompts' input closed before the wizard was done.
var errInputEnded = errors.New("the input ended before the connection was complete: nothing was saved")

// accessible runs the New Connection wizard as plain prompts, one field at
// a time, for screen readers and dumb terminals. The secret prompt never
// echoes.
type accessible struct {
	c *common
	w io.Writer
	r io.Reader
	// hider turns the terminal's echo off for the secret and passphrase.
	hider hider
	raw   struct{ name, desc, tenant, cloud, clientID, secret, expires, keyFile string }
	ids   struct{ customer, microtenant, partner string }
	// method is how the API client authenticates; key is its private key
	// when that is the method.
	method store.AuthMethod
	key    *zidentity.PrivateKey
	others []store.Connection
	// allowedHost is the host in a cloud zconn does not know that the
	// person said yes to.
	allowedHost string
}

// runAccessible runs the wizard as prompts (or, when connections exist and
// the wizard was not asked for, lists them).
func runAccessible(ctx context.Context, c *common, conns []store.Connection, o Options) error {
	return runPrompts(ctx, c, conns, o, terminalHider{})
}

// runPrompts is runAccessible with the terminal's echo turned off by h.
func runPrompts(ctx context.Context, c *common, conns []store.Connection, o Options, h hider) error {
	in := o.Input
	if in == nil {
		in = os.Stdin
	}
	env := o.Environ
	if env == nil {
		env = os.Environ()
	}
	w := colorprofile.NewWriter(stdout(o), env)
	if o.BaseURL != "" {
		fmt.Fprintf(w, "Note: ZCONN_ZIDENTITY_URL is set: every identity request goes to %s.\n", o.BaseURL)
	}
	if !o.Wizard && len(conns) > 0 {
		listPlain(w, c, conns)
		return nil
	}
	a := &accessible{c: c, w: w, r: in, hider: h, others: conns}
	if err := a.secrets(ctx, o); err != nil {
		return err
	}
	return a.run(ctx)
}

// secrets unlocks the vault when it is the chosen backend, or offers it
// when the keychain cannot be used, before any field is asked.
func (a *accessible) secrets(ctx context.Context, o Options) error {
	if o.UseVault == nil {
		return nil
	}
	if !o.UnlockVault {
		problem := o.SecretsProblem
		if problem == nil && o.CheckKeychain != nil {
			problem = o.CheckKeychain(ctx)
		}
		if problem == nil {
			return nil
		}
		// The reason without a hint: the question that follows is the fix.
		a.say("The %s cannot be used: %s", store.KeychainName(), safetext.Clean(problem.Error(), 400))
		use := false
		if err := huh.NewConfirm().Title("Keep the secrets in an encrypted vault, "+a.c.places.tilde(o.VaultPath)+", instead?").Value(&use).RunAccessible(a.w, a.r); err != nil {
			return err
		}
		if !use {
			return nil
		}
	}
	for tries := 0; tries < 3; tries++ {
		var p, again string
		if err := a.password(ctx, "Vault passphrase (typing is not shown):", &p); err != nil {
			return err
		}
		if !o.VaultExists {
			if err := a.password(ctx, "Type it again:", &again); err != nil {
				return err
			}
			if again != p {
				a.say("The two passphrases differ: type them again.")
				continue
			}
		}
		a.say("Opening the vault…")
		err := o.UseVault(ctx, p)
		if err == nil {
			a.say("Secrets go to the encrypted vault %s.", a.c.places.tilde(o.VaultPath))
			return nil
		}
		a.say("%s", safetext.Clean(hint(err), 400))
	}
	return errors.New("the vault was not opened: run zconn again, or set ZCONN_PASSPHRASE")
}

// password asks without echo.
func (a *accessible) password(ctx context.Context, title string, value *string) error {
	p, err := a.askHidden(ctx, title, func(s string) error {
		if s == "" {
			return errors.New("type the passphrase and press enter")
		}
		return nil
	})
	if errors.Is(err, errNoTerminal) {
		return fmt.Errorf("reading the passphrase: %w: run zconn in a terminal, or set ZCONN_PASSPHRASE", err)
	}
	if err != nil {
		return fmt.Errorf("reading the passphrase: %w", err)
	}
	*value = p
	return nil
}

// listPlain writes the connections as sentences.
func listPlain(w io.Writer, c *common, conns []store.Connection) {
	fmt.Fprintf(w, "%d connections saved.\n", len(conns))
	def := store.DefaultIndex(conns)
	for i, conn := range conns {
		r := newRow(conn)
		isDefault := ""
		if i == def {
			isDefault = ", the default"
		}
		fmt.Fprintln(w, clean(fmt.Sprintf("%s%s: tenant %s, client ID %s, %s.", r.name, isDefault, manager.Tenant(conn).Host(), r.clientID, statusWords(r.status, c.now()))))
	}
	fmt.Fprintln(w, "Run zconn new to add one; zconn --help lists the commands.")
}

// say writes one line, cleaned of what a terminal would act on.
func (a *accessible) say(format string, args ...any) {
	fmt.Fprintln(a.w, clean(fmt.Sprintf(format, args...)))
}

// input asks one line; an empty answer to a required field means the
// input ended.
func (a *accessible) input(title string, value *string, required bool, validate func(string) error) error {
	f := huh.NewInput().Title(title).Value(value).Validate(func(s string) error {
		if required && strings.TrimSpace(s) == "" && strings.TrimSpace(*value) == "" {
			return errors.New("this is required: type it and press enter")
		}
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return validate(strings.TrimSpace(s))
	})
	if err := f.RunAccessible(a.w, a.r); err != nil {
		return err
	}
	*value = strings.TrimSpace(*value)
	if required && *value == "" {
		return errInputEnded
	}
	return nil
}

func (a *accessible) run(ctx context.Context) error {
	a.say("New connection. zconn needs the client ID of a ZIdentity API client, and its secret or private key.")
	imported, err := a.offerImport()
	if err != nil {
		return err
	}
	askSecret := func() error { return a.askCredential(ctx) }
	askKey := func() error { return a.askKey(ctx) }
	if imported == nil {
		a.say("To create one: in the ZIdentity Administration Portal, open Integration > API Clients, choose Add API Client, set its status to Active, under Client Authentication choose Secret and copy the secret (or add a public key or certificate whose private key you hold), add the ZIAM scope with an admin role that has user management, save, and copy the Client ID.")
		steps := []func() error{a.askName, a.askDescription, a.askTenant, a.askClientID, a.askMethod, askSecret, a.askExpires, a.askIDs}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
	}
	saved, err := a.verifyAndSave(ctx, askSecret, askKey)
	if err != nil || imported == nil {
		return err
	}
	return a.afterImport(ctx, imported, saved)
}

// verifyAndSave verifies what was given and saves it, asking again what
// a failure points at; a network failure offers to save it unverified.
func (a *accessible) verifyAndSave(ctx context.Context, askSecret, askKey func() error) (store.Connection, error) {
	for {
		if host, ask := a.c.unconfirmedHost(a.connection()); ask {
			if err := a.confirmCloud(host); err != nil {
				return store.Connection{}, err
			}
			continue
		}
		v, err := a.verify(ctx)
		if err == nil {
			return a.save(ctx, v)
		}
		if host, ok := refusedHost(err); ok {
			if err := a.confirmCloud(host); err != nil {
				return store.Connection{}, err
			}
			continue
		}
		if zidentity.CategoryOf(err).Network() {
			save := false
			if err := huh.NewConfirm().Title("Save it without verifying?").Value(&save).RunAccessible(a.w, a.r); err != nil {
				return store.Connection{}, err
			}
			if save {
				return a.save(ctx, nil)
			}
		}
		again := askSecret
		if zidentity.CategoryOf(err).Network() {
			again = a.askTenant
		}
		if id, ok := fieldFor(err); ok {
			again = map[fieldID]func() error{fName: a.askName, fTenant: a.askTenant, fClientID: a.askClientID, fSecret: askSecret}[id]
		}
		if a.method == store.AuthPrivateKey && zidentity.CategoryOf(err) == zidentity.Rejected {
			again = askKey
		}
		if err := again(); err != nil {
			return store.Connection{}, err
		}
	}
}

// confirmCloud asks before the credentials go to a host in a cloud zconn
// does not know: a yes is remembered, a no asks for the tenant again.
func (a *accessible) confirmCloud(host string) error {
	yes := false
	if err := huh.NewConfirm().Title(newCloudQuestion(host).text()).Value(&yes).RunAccessible(a.w, a.r); err != nil {
		return err
	}
	if yes {
		a.allowedHost = host
		return nil
	}
	a.say("%s", backToTenantBanner)
	return a.askTenant()
}

func (a *accessible) askName() error {
	return a.input("Name, unique among your connections:", &a.raw.name, true, func(s string) error {
		if err := store.ValidateName(s); err != nil {
			return err
		}
		return store.CheckName(a.others, s, "")
	})
}

func (a *accessible) askDescription() error {
	return a.input("Description (optional):", &a.raw.desc, false, store.ValidateDescription)
}

func (a *accessible) askTenant() error {
	if err := a.input("Tenant: the vanity domain, or any address of your ZIdentity portal:", &a.raw.tenant, true, func(s string) error {
		_, err := zidentity.ResolveTenant(s, "")
		return err
	}); err != nil {
		return err
	}
	if t, _ := zidentity.ParseTenant(a.raw.tenant); t.Cloud != "" {
		a.raw.cloud = t.Cloud.String()
		a.say("Cloud: %s, from the address.", a.raw.cloud)
		return nil
	}
	if a.raw.cloud == "" {
		a.raw.cloud = zidentity.Production.String()
	}
	return a.input("Cloud ("+zidentity.KnownCloudList(", ")+"; enter keeps "+a.raw.cloud+"):", &a.raw.cloud, false, func(s string) error {
		_, err := zidentity.ResolveTenant(a.raw.tenant, s)
		return err
	})
}

func (a *accessible) askClientID() error {
	return a.input("Client ID:", &a.raw.clientID, true, store.ValidateClientID)
}

// askSecret asks for the client secret without echo, again until the
// store would keep it as typed. The reasons never quote the secret. The
// other lines of a private key pasted here are read and dropped, up to
// its END line (or an empty line), before the refusal: one of them could
// otherwise pass for a secret.
func (a *accessible) askSecret(ctx context.Context) error {
	inKey := false
	s, err := a.askHidden(ctx, "Client secret (typing is not shown):", func(s string) error {
		if inKey {
			if store.EndsPEM(s) || strings.TrimSpace(s) == "" {
				inKey = false
				return store.ErrSecretIsPrivateKey
			}
			return errSkipLine
		}
		if store.LooksLikePrivateKey(s) && !store.EndsPEM(s) {
			inKey = true
			return errSkipLine
		}
		s = store.NormalizeSecret(s)
		if s == "" {
			return errors.New("paste the client secret and press enter")
		}
		return store.CheckSecret(a.c.mgr.Store.Secrets(), s)
	})
	if errors.Is(err, errNoTerminal) {
		return fmt.Errorf("reading the secret: %w: run zconn in a terminal", err)
	}
	if err != nil {
		return fmt.Errorf("reading the secret: %w", err)
	}
	a.raw.secret = store.NormalizeSecret(s)
	return nil
}

func (a *accessible) askExpires() error {
	title := "Secret expires, as YYYY-MM-DD (optional):"
	if a.method == store.AuthPrivateKey {
		title = "Key expires: when the API client's public key or certificate expires, as YYYY-MM-DD (optional):"
	}
	return a.input(title, &a.raw.expires, false, func(s string) error {
		_, err := store.ParseDate(s)
		return err
	})
}

// askMethod asks how the API client authenticates.
func (a *accessible) askMethod() error {
	if a.method == "" {
		a.method = store.AuthSecret
	}
	return huh.NewSelect[store.AuthMethod]().
		Title("How does the API client authenticate (Client Authentication in Integration > API Clients)?").
		Options(
			huh.NewOption("Secret: the portal showed it once, with an expiration date", store.AuthSecret),
			huh.NewOption("Private key: the portal holds its public key or certificate, and you hold the private key", store.AuthPrivateKey),
		).
		Value(&a.method).
		RunAccessible(a.w, a.r)
}

// askCredential asks for the secret or the private key, by the method.
func (a *accessible) askCredential(ctx context.Context) error {
	if a.method == store.AuthPrivateKey {
		return a.askKey(ctx)
	}
	return a.askSecret(ctx)
}

// keySource is how the accessible wizard takes a private key.
type keySource int

const (
	keyFromFile keySource = iota
	keyPasted
)

// askKey asks for the private key: the path of its file, read and never
// changed or copied; or pasted at a prompt that shows nothing, ending
// with an empty line or Ctrl-D. Only its size and fingerprint are said.
func (a *accessible) askKey(ctx context.Context) error {
	from := keyFromFile
	if err := huh.NewSelect[keySource]().
		Title("How will you give the private key?").
		Options(
			huh.NewOption("The path of its PEM file", keyFromFile),
			huh.NewOption("Paste it here (nothing of it is shown)", keyPasted),
		).
		Value(&from).
		RunAccessible(a.w, a.r); err != nil {
		return err
	}
	if from == keyFromFile {
		var key *zidentity.PrivateKey
		if err := a.input("The private key's file (~ is your home folder):", &a.raw.keyFile, true, func(s string) error {
			k, err := readKeyFile(s)
			if err == nil {
				key = k
			}
			return err
		}); err != nil {
			return err
		}
		if key == nil {
			// The file was read when it was typed; read what the answer
			// settled on.
			k, err := readKeyFile(a.raw.keyFile)
			if err != nil {
				return err
			}
			key = k
		}
		return a.tookKey(key, "from "+a.raw.keyFile)
	}
	key, err := a.askPasted(ctx)
	if errors.Is(err, errNoTerminal) {
		return fmt.Errorf("reading the private key: %w: give the key's file instead", err)
	}
	if err != nil {
		return fmt.Errorf("reading the private key: %w", err)
	}
	return a.tookKey(key, "pasted")
}

// tookKey records the key, or refuses one the backend cannot hold, and
// says which key it is.
func (a *accessible) tookKey(key *zidentity.PrivateKey, from string) error {
	if err := store.CheckKeyLen(a.c.mgr.Store.Secrets(), key.Encode()); err != nil {
		return err
	}
	a.key = key
	a.say("Private key: %s, %s.", key.Description(), from)
	return nil
}

// askPasted asks for a private key pasted at a prompt that never echoes,
// again until it is one zconn can use. The echo goes off before the
// prompt is written; the reasons never quote the key.
func (a *accessible) askPasted(ctx context.Context) (*zidentity.PrivateKey, error) {
	h, err := a.hider.hide(a.r)
	if err != nil {
		return nil, err
	}
	defer h.restore()
	for {
		fmt.Fprintln(a.w, "Paste the private key (PEM), then an empty line or Ctrl-D; nothing is shown:")
		text, err := readHiddenWith(ctx, h, func() (string, error) { return readPasted(a.r) })
		if err != nil {
			return nil, err
		}
		key, err := zidentity.ParsePrivateKey([]byte(text))
		if err != nil {
			a.say("%s", err)
			continue
		}
		return key, nil
	}
}

// askIDs offers the optional ZPA and partner IDs.
func (a *accessible) askIDs() error {
	more := false
	if err := huh.NewConfirm().Title("Add a ZPA customer ID, ZPA microtenant ID or partner ID (optional)?").Value(&more).RunAccessible(a.w, a.r); err != nil {
		return err
	}
	if !more {
		return nil
	}
	if err := a.input("ZPA customer ID, digits (optional):", &a.ids.customer, false, store.ValidateZPACustomerID); err != nil {
		return err
	}
	if err := a.input("ZPA microtenant ID, digits (optional):", &a.ids.microtenant, false, store.ValidateZPAMicrotenantID); err != nil {
		return err
	}
	return a.input("Partner ID (optional):", &a.ids.partner, false, store.ValidatePartnerID)
}

func (a *accessible) connection() store.Connection {
	t, _ := zidentity.ResolveTenant(a.raw.tenant, a.raw.cloud)
	exp, _ := store.ParseDate(a.raw.expires)
	return store.Connection{
		Name: a.raw.name, Description: a.raw.desc, Vanity: t.Vanity, Cloud: t.Cloud.String(), ClientID: a.raw.clientID, SecretExpires: exp,
		AllowUnknownCloud: !t.Cloud.Known() && a.allowedHost != "" && a.allowedHost == t.Host(),
		AuthMethod:        a.method,
		ZPACustomerID:     a.ids.customer, ZPAMicrotenantID: a.ids.microtenant, PartnerID: a.ids.partner,
	}
}

// credential is the secret, or the private key in its compact form.
func (a *accessible) credential() string {
	if a.method == store.AuthPrivateKey && a.key != nil {
		return a.key.Encode()
	}
	return a.raw.secret
}

// verify asks ZIdentity and says what came back.
func (a *accessible) verify(ctx context.Context) (*store.Verification, error) {
	c := a.connection()
	a.say("Asking %s for a token…", a.c.tokenHost(manager.Tenant(c)))
	v, _, err := a.c.mgr.Verify(ctx, c, a.credential())
	if err != nil {
		a.say("Verification failed: %s", safetext.Clean(hint(err), 400))
		return nil, err
	}
	a.say("The credentials work. Token lifetime: %s. Products: %s. Roles: %s.", humantime.Lifetime(v.TokenLifetime()), orNone(v.Products), orNone(v.Roles))
	if v.AudienceOmitted {
		a.say("The tenant refuses the audience parameter, so zconn leaves it out for this connection.")
	}
	st := manager.VerificationStatus(&v)
	if st.Concern() == manager.ConcernNoZIAM {
		a.say("Warning: the token does not carry ZIAM, so managing ZIdentity users will fail. Add the ZIAM scope to the API client.")
	}
	if st.Concern() == manager.ConcernNoUserManagement {
		a.say("Warning: %s.", st.UserManagement.Warning())
	} else {
		a.say("User management: %s.", verifiedUsersCheck(st, "test it later with zconn test").words)
	}
	return &v, nil
}

func (a *accessible) save(ctx context.Context, v *store.Verification) (store.Connection, error) {
	saved, err := a.c.mgr.Create(ctx, a.connection(), a.credential(), v)
	if err != nil {
		return store.Connection{}, fmt.Errorf("saving: %w", err)
	}
	state := "verified"
	if v == nil {
		state = "not verified; test it with zconn test " + saved.Name
	}
	a.say("Saved %s (%s). Its %s is in the %s.", safetext.Clean(saved.Name, 64), state, credentialName(saved.AuthMethod), a.c.mgr.Store.Secrets().Backend())
	return saved, nil
}

// offerImport offers the credentials found kept in plain text, in a
// numbered question before the first field; the one chosen fills every
// answer. It returns nil when there is none, or the person types the
// details instead.
func (a *accessible) offerImport() (*offer, error) {
	if !a.c.places.look {
		return nil, nil
	}
	d := discover(a.c.mgr, a.c.places)
	if len(d.problems) > 0 {
		a.say("Not offered: %s", strings.Join(d.problems, "; "))
	}
	if len(d.offers) == 0 {
		return nil, nil
	}
	options := make([]huh.Option[int], 0, len(d.offers)+1)
	for i, o := range d.offers {
		options = append(options, huh.NewOption(clean("Import from "+o.summary), i+1))
	}
	options = append(options, huh.NewOption("Type the details instead", 0))
	choice := 1
	if err := huh.NewSelect[int]().
		Title(clean("Credentials kept in plain text were found. Importing verifies them and keeps the secret or key in the "+a.c.mgr.Store.Secrets().Backend()+".")).
		Options(options...).
		Value(&choice).
		RunAccessible(a.w, a.r); err != nil {
		return nil, err
	}
	if choice == 0 {
		return nil, nil
	}
	o := &d.offers[choice-1]
	a.fill(o)
	a.say("Importing %s as %s.", o.summary, o.draft.Name)
	return o, nil
}

// upperFirst starts a sentence with a capital letter.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// fill takes every answer from an offer.
func (a *accessible) fill(o *offer) {
	c := o.draft
	a.raw.name, a.raw.tenant, a.raw.cloud, a.raw.clientID = c.Name, c.Vanity, manager.Tenant(c).Cloud.String(), c.ClientID
	a.ids.customer, a.ids.microtenant, a.ids.partner = c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID
	a.method = c.AuthMethod
	if a.method == store.AuthPrivateKey {
		a.key = o.key
	} else {
		a.raw.secret = o.credential.Reveal()
	}
}

// afterImport asks to take the secret of an imported YAML file out of it,
// and says what zconn leaves as it is.
func (a *accessible) afterImport(ctx context.Context, o *offer, saved store.Connection) error {
	backend := a.c.mgr.Store.Secrets().Backend()
	after := newAfterImport(o, saved, a.credential(), "")
	if after.removable {
		remove := false
		if err := huh.NewConfirm().Title(clean(after.question(a.c.places, backend))).Value(&remove).RunAccessible(a.w, a.r); err != nil {
			return err
		}
		if !remove {
			a.say("%s.", after.keptNotice(a.c.places))
		} else if err := a.c.mgr.RemovePlaintext(ctx, o.setup, saved); err != nil {
			return after.removalFailed(a.c.places, err)
		} else {
			a.say("%s.", upperFirst(after.removedNotice(a.c.places)))
		}
	}
	for _, n := range after.notes(a.c.places, backend) {
		a.say("%s", n)
	}
	return nil
}
