package configdef

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// testdata/java_tostring.golden was produced once by a JDK 17 program:
// "D\t<raw bits>\t<Double.toString>" and
// "S\t<inputs>\t<HashSet of upper-cased inputs joined by ', '>".
// Double.MIN_VALUE was dropped: JDK 17 prints 4.9E-324, a non-shortest form
// fixed in JDK 19 (JDK-4511638).
func TestJavaGolden(t *testing.T) {
	f, err := os.Open("testdata/java_tostring.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 {
			t.Fatalf("bad golden line %q", sc.Text())
		}
		n++
		switch parts[0] {
		case "D":
			bits, _ := strconv.ParseInt(parts[1], 10, 64)
			d := math.Float64frombits(uint64(bits))
			if got := JavaDouble(d); got != parts[2] {
				t.Errorf("JavaDouble(%v) = %q, want %q", d, got, parts[2])
			}
		case "S":
			v := CaseInsensitiveIn(strings.Split(parts[1], ",")...)
			if got, want := v.String(), "(case insensitive) ["+parts[2]+"]"; got != want {
				t.Errorf("CaseInsensitiveIn(%s).String() = %q, want %q", parts[1], got, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("empty golden file")
	}
}

func TestJavaString(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{"x y", "x y"},
		{int32(5), "5"},
		{int16(-3), "-3"},
		{int64(1) << 40, "1099511627776"},
		{true, "true"},
		{[]string{"t", "t"}, "[t, t]"},
		{[]string{}, "[]"},
		{NewPassword("secret"), "[hidden]"},
		{1.0, "1.0"},
	}
	for _, tt := range tests {
		if got := JavaString(tt.in); got != tt.want {
			t.Errorf("JavaString(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
