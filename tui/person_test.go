package tui

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/zconn/zconn/internal/termecho/termechotest"
)

// answer is what a person types once a prompt shows.
type answer struct{ prompt, text string }

// personAtTerminal is a terminal with a person at it who types each
// answer the moment its prompt shows (termechotest), as the wizard's
// hider.
type personAtTerminal struct{ *termechotest.Person }

func newPerson(answers ...answer) *personAtTerminal {
	as := make([]termechotest.Answer, len(answers))
	for i, a := range answers {
		as[i] = termechotest.Answer{Prompt: a.prompt, Text: a.text}
	}
	return &personAtTerminal{termechotest.New(as...)}
}

// text is what the terminal shows, echo included.
func (p *personAtTerminal) text() string { return p.Screen() }

func (p *personAtTerminal) hide(io.Reader) (hidden, error) {
	return personEcho(p.EchoOff()), nil
}

// personEcho is the person's terminal with its echo off; calling it turns
// the echo back on.
type personEcho func()

func (personEcho) interrupted() <-chan struct{} { return nil }

func (e personEcho) restore() { e() }

// runPerson runs the accessible wizard with the person at its terminal.
func runPerson(t *testing.T, h *harness, p *personAtTerminal) error {
	t.Helper()
	conns, err := h.mgr.Store.List()
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Manager: h.mgr, Wizard: true, Accessible: true, Input: p, Output: p, Environ: []string{"TERM=dumb"}, Now: h.m.c.now}
	return runPrompts(context.Background(), newCommon(context.Background(), o), conns, o, p)
}

// TestAccessibleSecretIsNeverEchoed types the secret the moment its
// prompt shows: the echo must be off by then.
func TestAccessibleSecretIsNeverEchoed(t *testing.T) {
	h := newHarness(t)
	p := newPerson(
		answer{"Name", "prod"}, answer{"Description", ""}, answer{"Tenant", "acme"}, answer{"Cloud", ""},
		answer{"Client ID", "cid-123"}, answer{"Client secret", canary}, answer{"Secret expires", ""},
	)
	if err := runPerson(t, h, p); err != nil {
		t.Fatalf("got %v; want the connection saved", err)
	}
	if strings.Contains(p.text(), canary) {
		t.Fatalf("the terminal echoed the secret; what happened:\n%s", strings.Join(p.Events(), "\n"))
	}
	off, prompt := -1, -1
	for i, e := range p.Events() {
		if e == "echo off" && off < 0 {
			off = i
		}
		if strings.Contains(e, "Client secret") && strings.HasPrefix(e, "wrote") && prompt < 0 {
			prompt = i
		}
	}
	if off < 0 || prompt < 0 || off > prompt {
		t.Errorf("echo off at event %d, the secret's prompt at %d; want the echo off first:\n%s", off, prompt, strings.Join(p.Events(), "\n"))
	}
	c, err := h.mgr.Store.Find("prod")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := h.mem.Peek(c.ID); s != canary {
		t.Errorf("saved secret %q; want the one typed", s)
	}
}

// TestAccessibleRefusesAtInput types what zconn refuses, then what it
// takes: each refusal is one line as typed, and nothing is sent before
// the input is right.
func TestAccessibleRefusesAtInput(t *testing.T) {
	good := []answer{
		{"Name", "prod"}, {"Description", ""}, {"Tenant", "acme"}, {"Cloud", ""},
		{"Client ID", "cid-123"}, {"Client secret", canary}, {"Secret expires", ""},
	}
	tests := []struct {
		name    string
		field   string
		typed   string
		message string
	}{
		{"a name like a flag", "Name", "--yes", `the name starts with "-", which commands read as an option`},
		{"an invisible character in the name", "Name", "pro\u200bd", "the name holds a character that cannot be seen (U+200B)"},
		{"a tab in the secret", "Client secret", canary + "\tx", "the secret holds a tab or another control character"},
		{"a control character in the secret", "Client secret", canary + "\x1b[2J", "the secret holds a tab or another control character"},
		{"invalid UTF-8 in the secret", "Client secret", canary + "\xff", "the secret is not valid UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			var answers []answer
			for _, a := range good {
				if a.prompt == tt.field {
					answers = append(answers, answer{a.prompt, tt.typed})
				}
				answers = append(answers, a)
			}
			p := newPerson(answers...)
			if err := runPerson(t, h, p); err != nil {
				t.Fatalf("got %v; want the connection saved after the fix", err)
			}
			text := p.text()
			if !strings.Contains(text, tt.message) {
				t.Errorf("the terminal does not say %q:\n%s", tt.message, text)
			}
			if strings.Contains(text, canary) {
				t.Errorf("the terminal shows the secret:\n%s", text)
			}
			if n := h.srv.Requests(); n != 1 {
				t.Errorf("requests = %d; want 1, with the input fixed", n)
			}
		})
	}
}
