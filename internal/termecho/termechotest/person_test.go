package termechotest_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/zconn/zconn/internal/termecho/termechotest"
)

func TestPersonEchoesOnlyWhileTheEchoIsOn(t *testing.T) {
	tests := []struct {
		name       string
		echoOff    bool
		wantScreen string
	}{
		{"echo on", false, "Name: prod\r\nSecret: s3cret\r\n"},
		{"echo off", true, "Name: prod\r\nSecret: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := termechotest.New(termechotest.Answer{Prompt: "Name:", Text: "prod"}, termechotest.Answer{Prompt: "Secret:", Text: "s3cret"})
			fmt.Fprint(p, "Name: ")
			line, err := p.ReadAnswer()
			if err != nil || string(line) != "prod" {
				t.Fatalf("got %q, %v; want prod", line, err)
			}
			if tt.echoOff {
				defer p.EchoOff()()
			}
			fmt.Fprint(p, "Secret: ")
			if got := p.Screen(); got != tt.wantScreen {
				t.Errorf("screen %q; want %q", got, tt.wantScreen)
			}
			rest, _ := io.ReadAll(p)
			if string(rest) != "s3cret\n" {
				t.Errorf("read %q; want the typed line", rest)
			}
			if len(p.Unanswered()) != 0 {
				t.Errorf("unanswered %v; want none", p.Unanswered())
			}
		})
	}
}

func TestPersonWaitsForThePrompt(t *testing.T) {
	p := termechotest.New(termechotest.Answer{Prompt: "Secret:", Text: "s3cret"})
	fmt.Fprint(p, "Name: ")
	if _, err := p.ReadAnswer(); err == nil {
		t.Fatal("got an answer before its prompt showed")
	}
	if n, err := p.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Fatalf("Read = %d, %v; want the input ended", n, err)
	}
	if got := strings.Join(p.Events(), "|"); got != "wrote Name: " {
		t.Errorf("events %q; want only the write", got)
	}
}
