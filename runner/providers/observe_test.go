package providers

import "testing"

// TestObserveSeesSubstitutedValues: the redaction set learns every value a
// provider returned for a variable, and nothing else.
func TestObserveSeesSubstitutedValues(t *testing.T) {
	tr := NewTransformer(map[string]Provider{"env": &EnvVarConfigProvider{Env: map[string]string{"A": "alpha-secret", "B": "beta-secret", "C": "unused"}}})
	var seen []string
	tr.Observe(func(vs ...string) { seen = append(seen, vs...) })
	got, err := tr.Transform(map[string]string{"x": "pre-${env:A}", "y": "${env:B}", "z": "${env:MISSING}", "w": "plain"})
	if err != nil {
		t.Fatal(err)
	}
	if got["x"] != "pre-alpha-secret" || got["z"] != "${env:MISSING}" {
		t.Fatalf("Transform = %v", got)
	}
	want := map[string]bool{"alpha-secret": true, "beta-secret": true}
	if len(seen) != 2 || !want[seen[0]] || !want[seen[1]] {
		t.Fatalf("observed %q, want the two substituted values", seen)
	}
}
