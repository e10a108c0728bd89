package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are built once and passed to every screen. Colours come from the
// terminal's own 16-colour palette, so they follow its theme; the renderer
// drops them under NO_COLOR, and every state also reads without colour
// (markers, words, bold).
type Styles struct {
	App      lipgloss.Style
	Title    lipgloss.Style
	Subtitle lipgloss.Style
	Muted    lipgloss.Style
	Label    lipgloss.Style
	Focused  lipgloss.Style
	Error    lipgloss.Style
	Warning  lipgloss.Style
	Success  lipgloss.Style
	Selected lipgloss.Style
	Header   lipgloss.Style
	Banner   lipgloss.Style
	Help     help.Styles
	Spinner  lipgloss.Style
}

// NewStyles returns zconn's styles.
func NewStyles() Styles {
	var (
		muted  = lipgloss.BrightBlack
		accent = lipgloss.Cyan
	)
	s := Styles{
		App:      lipgloss.NewStyle().Padding(0, 1),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtitle: lipgloss.NewStyle().Bold(true),
		Muted:    lipgloss.NewStyle().Foreground(muted),
		Label:    lipgloss.NewStyle().Bold(true),
		Focused:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		Error:    lipgloss.NewStyle().Foreground(lipgloss.Red),
		Warning:  lipgloss.NewStyle().Foreground(lipgloss.Yellow),
		Success:  lipgloss.NewStyle().Foreground(lipgloss.Green),
		Selected: lipgloss.NewStyle().Reverse(true),
		Header:   lipgloss.NewStyle().Bold(true),
		Banner:   lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true),
		Spinner:  lipgloss.NewStyle().Foreground(accent),
	}
	s.Help = help.Styles{
		Ellipsis:       lipgloss.NewStyle().Foreground(muted),
		ShortKey:       lipgloss.NewStyle().Bold(true),
		ShortDesc:      lipgloss.NewStyle().Foreground(muted),
		ShortSeparator: lipgloss.NewStyle().Foreground(muted),
		FullKey:        lipgloss.NewStyle().Bold(true),
		FullDesc:       lipgloss.NewStyle().Foreground(muted),
		FullSeparator:  lipgloss.NewStyle().Foreground(muted),
	}
	return s
}

// render styles text in a tone.
func (s *Styles) render(t tone, text string) string {
	switch t {
	case toneGood:
		return s.Success.Render(text)
	case toneBad:
		return s.Error.Render(text)
	case toneWarning:
		return s.Warning.Render(text)
	}
	return text
}
