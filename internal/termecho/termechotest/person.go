// Package termechotest is a terminal with a person at it, for tests of
// prompts that turn the echo off: the person types each answer the
// moment its prompt shows, as fast as anyone could, and the terminal
// echoes what is typed unless its echo is off at that moment. It keeps no
// time: what happens is decided by the order in which the program writes
// prompts and turns the echo off, and Events records that order.
package termechotest

import (
	"errors"
	"io"
	"strings"
	"sync"
)

// Answer is what the person types once Prompt shows.
type Answer struct{ Prompt, Text string }

// Person is the terminal and the person at it. Write is the screen;
// EchoOff turns the echo off; Read and ReadAnswer give what was typed.
type Person struct {
	mu      sync.Mutex
	screen  strings.Builder
	looked  int // where on the screen the next prompt is looked for
	echoOff bool
	answers []Answer
	typed   []string
	// stream is what Read has left of the typed answers, a line at a time.
	stream []byte
	events []string
}

// New returns a person who types answers, in order.
func New(answers ...Answer) *Person { return &Person{answers: answers} }

// Write shows what the program writes; a prompt the person waits for
// makes them type its answer at once, echoed unless the echo is off.
func (p *Person) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.screen.Write(b)
	p.events = append(p.events, "wrote "+string(b))
	for len(p.answers) > 0 {
		next := p.answers[0]
		if !strings.Contains(p.screen.String()[p.looked:], next.Prompt) {
			break
		}
		p.answers = p.answers[1:]
		p.events = append(p.events, "typed the answer to "+next.Prompt)
		if !p.echoOff {
			p.screen.WriteString(next.Text + "\r\n")
		}
		p.typed = append(p.typed, next.Text)
		p.looked = p.screen.Len()
	}
	return len(b), nil
}

// EchoOff turns the echo off until restore is called.
func (p *Person) EchoOff() (restore func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.echoOff = true
	p.events = append(p.events, "echo off")
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.echoOff = false
		p.events = append(p.events, "echo on")
	}
}

// Read gives what was typed, a line at a time as a terminal does; once
// everything typed was read, the input ends.
func (p *Person) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.typed {
		p.stream = append(p.stream, t+"\n"...)
	}
	p.typed = nil
	if len(p.stream) == 0 {
		return 0, io.EOF
	}
	n := len(p.stream)
	if i := strings.IndexByte(string(p.stream), '\n'); i >= 0 {
		n = i + 1
	}
	n = copy(b, p.stream[:n])
	p.stream = p.stream[n:]
	return n, nil
}

// ReadAnswer gives the next answer typed, whole.
func (p *Person) ReadAnswer() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.typed) == 0 {
		return nil, errors.New("nothing was typed: the prompt never showed")
	}
	s := p.typed[0]
	p.typed = p.typed[1:]
	return []byte(s), nil
}

// Screen is what the terminal shows, echo included.
func (p *Person) Screen() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

// Events is what happened, in order: "wrote …", "typed the answer to …",
// "echo off", "echo on".
func (p *Person) Events() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.events...)
}

// Unanswered returns the answers whose prompts never showed.
func (p *Person) Unanswered() []Answer {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Answer(nil), p.answers...)
}
