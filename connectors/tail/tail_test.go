package tail_test

import (
	"os"
	"testing"
	"time"
)

func TestAppendAndRestart(t *testing.T) {
	e := newEnv(t)
	props := e.props(map[string]string{"paths": e.path("*.log")})
	e.write("a.log", numbered("a", 0, 1000)...)
	_, stop := e.startWorker(props)
	e.waitAll(20 * time.Second)
	e.write("a.log", numbered("a", 1000, 1000)...)
	e.write("b.log", numbered("b", 0, 10)...)
	e.waitAll(20 * time.Second)
	stop()
	e.write("a.log", numbered("a", 2000, 10)...)
	_, stop = e.startWorker(props)
	defer stop()
	e.checkExactlyOnce()
	_ = os.Remove
}
