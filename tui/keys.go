package tui

import "charm.land/bubbles/v2/key"

func bind(keys []string, helpKey, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
}

// globalKeys work on every screen.
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
		Rotate:      bind([]string{"r"}, "r", "rotate secret"),
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

// ShortHelp is the footer's one line.
func (k filterKeys) ShortHelp() []key.Binding { return []key.Binding{k.Apply, k.Clear} }

// FullHelp is ShortHelp.
func (k filterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// formKeys are the connection form's keys.
type formKeys struct {
	Next, Prev, Submit key.Binding
	Guide, Cancel      key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:   bind([]string{"tab", "down", "enter"}, "tab", "next"),
		Prev:   bind([]string{"shift+tab", "up"}, "shift+tab", "back"),
		Submit: bind([]string{"ctrl+s"}, "ctrl+s", "verify"),
		Guide:  bind([]string{"f1", "ctrl+g"}, "ctrl+g", "guide"),
		Cancel: bind([]string{"esc"}, "esc", "cancel"),
	}
}

// ShortHelp is the footer's one line.
func (k formKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Prev, k.Submit, k.Guide, k.Cancel}
}

// FullHelp is ShortHelp.
func (k formKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// pageKeys serve the screens that show text and wait for a choice.
type pageKeys struct {
	Continue, Back, Alt, Quit key.Binding
}

// ShortHelp lists the enabled keys.
func (k pageKeys) ShortHelp() []key.Binding { return []key.Binding{k.Continue, k.Alt, k.Back, k.Quit} }

// FullHelp is ShortHelp.
func (k pageKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// busyKeys serve a screen waiting on an answer that may be canceled.
func busyKeys() pageKeys { return pageKeys{Back: bind([]string{"esc"}, "esc", "cancel")} }

// introKeys serve the wizard's "Before you begin" page.
func introKeys() pageKeys {
	k := pageKeys{
		Continue: bind([]string{"enter"}, "enter", "continue"),
		Back:     bind([]string{"esc"}, "esc", "leave"),
	}
	k.Alt.SetEnabled(false)
	return k
}

// verifiedKeys serve the page that shows a successful verification.
func verifiedKeys() pageKeys {
	return pageKeys{
		Continue: bind([]string{"enter"}, "enter", "create connection"),
		Back:     bind([]string{"esc"}, "esc", "back to the form"),
	}
}

// failedKeys serve the page that shows a network failure.
func failedKeys() pageKeys {
	return pageKeys{
		Continue: bind([]string{"enter", "esc"}, "enter", "back to the form"),
		Alt:      bind([]string{"s"}, "s", "save without verifying"),
	}
}

// confirmKeys serve the delete confirmation.
func confirmKeys() pageKeys {
	return pageKeys{
		Continue: bind([]string{"y"}, "y", "delete"),
		Back:     bind([]string{"n", "esc", "q"}, "n/esc", "keep it"),
	}
}

// vaultKeys serve the vault screen: unlocking it, or choosing it.
func vaultKeys(unlock, twoFields bool) pageKeys {
	k := pageKeys{
		Continue: bind([]string{"enter"}, "enter", "use the vault"),
		Alt:      bind([]string{"tab", "shift+tab"}, "tab", "next"),
		Back:     bind([]string{"esc"}, "esc", "keep the keychain"),
	}
	if unlock {
		k.Continue.SetHelp("enter", "unlock")
		k.Back.SetHelp("esc", "quit")
	}
	k.Alt.SetEnabled(twoFields)
	return k
}

// detailsKeys are the details screen's keys.
type detailsKeys struct {
	Back, Edit, Rotate, Test, Delete, Default, Copy key.Binding
}

func newDetailsKeys() detailsKeys {
	l := newListKeys()
	k := detailsKeys{
		Back: bind([]string{"esc", "q", "backspace"}, "esc", "back"),
		Edit: l.Edit, Rotate: l.Rotate, Test: l.Test, Delete: l.Delete, Default: l.Default, Copy: l.Copy,
	}
	k.Rotate.SetHelp("r", "rotate")
	k.Default.SetHelp("s", "default")
	k.Copy.SetHelp("c", "copy ID")
	return k
}

// ShortHelp is the footer's one line.
func (k detailsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Edit, k.Rotate, k.Test, k.Delete, k.Default, k.Copy, k.Back}
}

// FullHelp is ShortHelp.
func (k detailsKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
