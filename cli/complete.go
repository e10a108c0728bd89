package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
)

// completeName completes the first argument with the names of the saved
// connections, read from the metadata file only (never the keychain).
func (f *factory) completeName(_ *cobra.Command, a []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(a) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return f.names(toComplete), cobra.ShellCompDirectiveNoFileComp
}

// names returns the connection names that start with prefix (ignoring
// case), each with its description.
func (f *factory) names(prefix string) []cobra.Completion {
	st, err := f.store()
	if err != nil {
		return nil
	}
	conns, err := st.List()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, c := range conns {
		// A name that is not printable (only a hand edit makes one) is not
		// offered: a shell would print it as it is.
		if safetext.Printable(c.Name) && strings.HasPrefix(strings.ToLower(c.Name), strings.ToLower(prefix)) {
			out = append(out, cobra.CompletionWithDesc(c.Name, safetext.Clean(c.Description, 60)))
		}
	}
	return out
}

// completeWords completes a flag with fixed values.
func completeWords(words ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return words, cobra.ShellCompDirectiveNoFileComp
	}
}
