package cli

import (
	"testing"

	"github.com/zconn/zconn/internal/sdkconfig"
)

// TestEnvManagesEveryVariableImportReads: env and exec set or unset every
// variable that import reads, so none of another connection stays.
func TestEnvManagesEveryVariableImportReads(t *testing.T) {
	managed := map[string]bool{}
	for _, v := range sdkVars {
		managed[v.name] = true
	}
	for _, name := range sdkconfig.EnvNames {
		if !managed[name] {
			t.Errorf("env does not manage %s, which import reads", name)
		}
	}
}
