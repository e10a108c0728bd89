package tui

import "charm.land/bubbles/v2/key"

func bind(keys []string, helpKey, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
}

// globalKeys work on every page.
type globalKeys struct {
	Interrupt key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{Interrupt: bind([]string{"ctrl+c"}, "ctrl+c", "quit")}
}

// listKeys are the Connections page's keys.
type listKeys struct {
	Up, Down, Top, Bottom key.Binding
	Details, New, Edit    key.Binding
	Rotate, Test, TestAll key.Binding
	Delete, Default       key.Binding
	Filter, Copy          key.Binding
	ClearFilter           key.Binding
	Help, Quit            key.Binding
}

func newListKeys() listKeys {
	return listKeys{
		Up:          bind([]string{"up", "k"}, "↑/k", "up"),
		Down:        bind([]string{"down", "j"}, "↓/j", "down"),
		Top:         bind([]string{"home", "g"}, "g", "first"),
		Bottom:      bind([]string{"end", "G"}, "G", "last"),
		Details:     bind([]string{"enter"}, "enter", "details"),
		New:         bind([]string{"n"}, "n", "new"),
		Edit:        bind([]string{"e"}, "e", "edit"),
		Rotate:      bind([]string{"r"}, "r", "rotate secret or key"),
		Test:        bind([]string{"t"}, "t", "test"),
		TestAll:     bind([]string{"T"}, "T", "test all"),
		Delete:      bind([]string{"d"}, "d", "delete"),
		Default:     bind([]string{"s"}, "s", "set default"),
		Filter:      bind([]string{"/"}, "/", "filter"),
		Copy:        bind([]string{"c"}, "c", "copy client ID"),
		ClearFilter: bind([]string{"esc"}, "esc", "clear filter"),
		Help:        bind([]string{"?"}, "?", "more keys"),
		Quit:        bind([]string{"q"}, "q", "quit"),
	}
}

// ShortHelp is the footer's one line.
func (k listKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.New, k.Details, k.Test, k.Filter, k.Help, k.Quit}
}

// FullHelp is every key, by column.
func (k listKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.Details},
		{k.New, k.Edit, k.Rotate, k.Delete, k.Default},
		{k.Test, k.TestAll, k.Copy, k.Filter, k.ClearFilter},
		{k.Help, k.Quit},
	}
}

// filterKeys apply while the filter is being typed.
type filterKeys struct {
	Apply, Clear key.Binding
}

func newFilterKeys() filterKeys {
	return filterKeys{
		Apply: bind([]string{"enter", "down"}, "enter", "keep filter"),
		Clear: bind([]string{"esc"}, "esc", "clear"),
	}
}

// detailsKeys are the details page's keys: the list's, with shorter help.
type detailsKeys struct {
	Back, Edit, Rotate, Test, Delete, Default, Copy key.Binding
	// Up and Down scroll a page taller than the terminal.
	Up, Down key.Binding
}

func newDetailsKeys() detailsKeys {
	l := newListKeys()
	k := detailsKeys{
		Back: bind([]string{"esc", "q", "backspace"}, "esc", "back"),
		Edit: l.Edit, Rotate: l.Rotate, Test: l.Test, Delete: l.Delete, Default: l.Default, Copy: l.Copy,
		Up: l.Up, Down: l.Down,
	}
	k.Rotate.SetHelp("r", "rotate")
	k.Default.SetHelp("s", "default")
	k.Copy.SetHelp("c", "copy ID")
	return k
}

// formKeys are the connection form's keys.
type formKeys struct {
	// Next moves to the next field; Enter does too, and on the last
	// field submits the form.
	Next, Enter, Prev, Submit key.Binding
	Guide, Cancel             key.Binding
	// Left, Right and Space choose the authentication method, and open
	// and close the More section; Choose and Open are their help.
	Left, Right, Space, Choose, Open key.Binding
	// LineBreak and ClearKey serve the private key field: a key typed or
	// pasted without bracketed paste arrives key by key, its line ends as
	// enter, which must not leave the field.
	LineBreak, ClearKey key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:   bind([]string{"tab", "down"}, "tab", "next"),
		Enter:  bind([]string{"enter"}, "enter", "next, or verify on the last field"),
		Prev:   bind([]string{"shift+tab", "up"}, "shift+tab", "back"),
		Submit: bind([]string{"ctrl+s"}, "ctrl+s", "verify"),
		Guide:  bind([]string{"f1", "ctrl+g"}, "ctrl+g", "guide"),
		Cancel: bind([]string{"esc"}, "esc", "cancel"),
		Left:   bind([]string{"left"}, "←", "left"),
		Right:  bind([]string{"right"}, "→", "right"),
		Space:  bind([]string{"space"}, "space", "toggle"),
		Choose: bind([]string{"left", "right", "space"}, "←/→", "choose"),
		Open:   bind([]string{"space", "right", "left"}, "space", "open/close"),
		// ctrl+j is a line feed, which some terminals send for a
		// pasted line end.
		LineBreak: bind([]string{"enter", "ctrl+j"}, "enter", "new line"),
		ClearKey:  bind([]string{"backspace", "ctrl+u", "delete"}, "backspace", "clear"),
	}
}

// wizardKeys are the keys of the wizard's pages around the form.
type wizardKeys struct {
	// Continue and Leave serve "Before you begin".
	Continue, Leave key.Binding
	// Cancel stops a verification.
	Cancel key.Binding
	// Create and Back serve the page of a successful verification.
	Create, Back key.Binding
	// Fix and SaveUnverified serve the page of a network failure.
	Fix, SaveUnverified key.Binding
	// Import chooses a setup kept in plain text on Before you begin, by
	// its number.
	Import key.Binding
	// Remove and Keep answer the question about an imported secret left
	// in plain text; Done leaves the page that only says what stays.
	Remove, Keep, Done key.Binding
}

func newWizardKeys() wizardKeys {
	return wizardKeys{
		Continue:       bind([]string{"enter"}, "enter", "continue"),
		Leave:          bind([]string{"esc"}, "esc", "leave"),
		Cancel:         cancelKey(),
		Create:         bind([]string{"enter"}, "enter", "create connection"),
		Back:           bind([]string{"esc"}, "esc", "back to the form"),
		Fix:            bind([]string{"enter", "esc"}, "enter", "back to the form"),
		SaveUnverified: bind([]string{"s"}, "s", "save without verifying"),
		Import:         bind([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1", "import"),
		Remove:         bind([]string{"y"}, "y", "remove it"),
		Keep:           bind([]string{"n", "esc"}, "n/esc", "keep it"),
		Done:           bind([]string{"enter", "esc"}, "enter", "done"),
	}
}

// cancelKey stops a request that changes nothing yet.
func cancelKey() key.Binding { return bind([]string{"esc"}, "esc", "cancel") }

// deleteKeys serve the delete confirmation.
type deleteKeys struct {
	Delete, Keep key.Binding
}

func newDeleteKeys() deleteKeys {
	return deleteKeys{
		Delete: bind([]string{"y"}, "y", "delete"),
		Keep:   bind([]string{"n", "esc", "q"}, "n/esc", "keep it"),
	}
}

// vaultKeys serve the vault page: unlocking the vault, or choosing it.
type vaultKeys struct {
	Submit, Next, Leave key.Binding
}

func newVaultKeys(unlock, twoFields bool) vaultKeys {
	k := vaultKeys{
		Submit: bind([]string{"enter"}, "enter", "use the vault"),
		Next:   bind([]string{"tab", "shift+tab"}, "tab", "next"),
		Leave:  bind([]string{"esc"}, "esc", "keep the keychain"),
	}
	if unlock {
		k.Submit.SetHelp("enter", "unlock")
		k.Leave.SetHelp("esc", "quit")
	}
	k.Next.SetEnabled(twoFields)
	return k
}

// cloudKeys answer the question about a cloud zconn does not know.
type cloudKeys struct {
	Send, Back key.Binding
}

func newCloudKeys() cloudKeys {
	return cloudKeys{
		Send: bind([]string{"y"}, "y", "send them there"),
		Back: bind([]string{"n", "esc"}, "n/esc", "back to the tenant"),
	}
}
