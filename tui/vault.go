package tui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/store"
)

// Messages about the secrets backend.
type (
	// keychainCheckedMsg is the answer of Options.CheckKeychain.
	keychainCheckedMsg struct{ err error }
	// vaultOpenedMsg is the answer of Options.UseVault.
	vaultOpenedMsg struct{ err error }
)

// vaultPage offers the encrypted vault when the OS keychain cannot be
// used, or unlocks the vault when it is the chosen backend.
type vaultPage struct {
	c      *common
	unlock bool
	reason error
	path   string
	exists bool
	use    func(context.Context, string) error
	inputs []textinput.Model
	focus  int
	busy   bool
	spin   spinner.Model
	err    string
	keys   vaultKeys
	width  int
	outbox
}

func newVaultPage(c *common, o Options, reason error) *vaultPage {
	v := &vaultPage{
		c: c, unlock: reason == nil, reason: reason, path: c.places.tilde(o.VaultPath), exists: o.VaultExists, use: o.UseVault,
		spin:  newSpinner(c.styles),
		width: 80,
	}
	n := 1
	if !v.exists {
		n = 2
	}
	for range n {
		in := newInput("", 1024)
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
		in.SetWidth(40)
		v.inputs = append(v.inputs, in)
	}
	v.keys = newVaultKeys(v.unlock, n > 1)
	return v
}

func (v *vaultPage) init() tea.Cmd { return v.inputs[0].Focus() }

func (v *vaultPage) title() string {
	if v.unlock {
		return "Unlock the vault"
	}
	return "Where to keep secrets"
}

func (v *vaultPage) setSize(width, _ int) { v.width = width }

func (v *vaultPage) helpKeys() help.KeyMap {
	if v.busy {
		return keyHelp{}
	}
	return keyHelp{v.keys.Submit, v.keys.Next, v.keys.Leave}
}

func (v *vaultPage) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case vaultOpenedMsg:
		v.busy = false
		if msg.err != nil {
			v.err = errorText(msg.err, 300)
			for i := range v.inputs {
				v.inputs[i].SetValue("")
			}
			v.focus = 0
			return v.refocus()
		}
		v.emit(flashMsg{text: "Secrets now go to the encrypted vault " + v.path})
		v.emit(closeMsg{})
		return nil
	case spinner.TickMsg:
		return spin(&v.spin, v.busy, msg)
	case tea.KeyPressMsg:
		if v.busy {
			return nil
		}
		switch {
		case key.Matches(msg, v.keys.Leave) && v.unlock:
			v.emit(quitMsg{})
			return nil
		case key.Matches(msg, v.keys.Leave):
			v.emit(closeMsg{})
			return nil
		case key.Matches(msg, v.keys.Next):
			v.focus = (v.focus + 1) % len(v.inputs)
			return v.refocus()
		case key.Matches(msg, v.keys.Submit):
			return v.submit()
		}
	}
	var cmd tea.Cmd
	v.inputs[v.focus], cmd = v.inputs[v.focus].Update(msg)
	return cmd
}

func (v *vaultPage) refocus() tea.Cmd {
	for i := range v.inputs {
		v.inputs[i].Blur()
	}
	return v.inputs[v.focus].Focus()
}

func (v *vaultPage) submit() tea.Cmd {
	p := v.inputs[0].Value()
	switch {
	case p == "":
		v.err = "✗ type the passphrase"
		return nil
	case len(v.inputs) > 1 && v.inputs[1].Value() == "" && v.focus == 0:
		v.focus = 1
		return v.refocus()
	case len(v.inputs) > 1 && v.inputs[1].Value() != p:
		v.err = "✗ the two passphrases differ: type them again"
		v.inputs[0].SetValue("")
		v.inputs[1].SetValue("")
		v.focus = 0
		return v.refocus()
	}
	v.busy, v.err = true, ""
	use, ctx := v.use, v.c.ctx
	return tea.Batch(func() tea.Msg { return vaultOpenedMsg{err: use(ctx, p)} }, v.spin.Tick)
}

func (v *vaultPage) view() string {
	s := v.c.styles
	w := max(20, v.width-4)
	var b strings.Builder
	para := func(text string) { b.WriteString(ansi.Wordwrap(clean(text), w, " ") + "\n\n") }
	switch {
	case v.unlock && !v.exists:
		para("zconn keeps secrets in an encrypted vault, " + v.path + ", which does not exist yet. Choose its passphrase; without it the secrets cannot be recovered. Scripts can set ZCONN_PASSPHRASE.")
	case v.unlock:
		para("Your secrets are in the encrypted vault " + v.path + ". Type its passphrase to unlock it.")
	default:
		// The reason without a hint: this page is the fix it would name.
		b.WriteString(s.Error.Render(ansi.Wordwrap("✗ The "+store.KeychainName()+" cannot be used: "+safetext.Clean(v.reason.Error(), 400), w, " ")) + "\n\n")
		para("zconn can keep the secrets in an encrypted vault instead: one file, " + v.path + ", encrypted with a passphrase (age, with scrypt). zconn asks for the passphrase when it starts; scripts can set ZCONN_PASSPHRASE. Secrets never go to a plain file.")
		if !v.exists {
			para("Choose a passphrase for the new vault; without it the secrets cannot be recovered.")
		}
	}
	labels := []string{"Passphrase", "Again"}
	for i, in := range v.inputs {
		marker, label := "  ", s.Label.Render(pad(labels[i], labelWidth))
		if i == v.focus {
			marker, label = s.Focused.Render("> "), s.Focused.Render(pad(labels[i], labelWidth))
		}
		b.WriteString(marker + label + in.View() + "\n")
	}
	if v.busy {
		b.WriteString("\n" + v.spin.View() + " Opening the vault (scrypt takes a moment on purpose)…\n")
	}
	if v.err != "" {
		b.WriteString("\n" + s.Error.Render(ansi.Wordwrap(clean(v.err), w, " ")) + "\n")
	}
	return b.String()
}
