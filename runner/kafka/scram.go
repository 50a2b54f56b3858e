package kafka

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// scramClient implements the client side of SCRAM (RFC 5802) as Kafka
// uses it, for sarama's SCRAMClientGeneratorFunc; sarama ships none.
type scramClient struct {
	h        func() hash.Hash
	user     string
	pass     string
	authz    string
	step     int
	nonce    string
	gs2      string
	first    string // client-first-message-bare
	serverSg []byte
	done     bool
}

var (
	scramSHA256 = sha256.New
	scramSHA512 = sha512.New
)

func newSCRAMClient(h func() hash.Hash) *scramClient { return &scramClient{h: h} }

func (c *scramClient) Begin(user, pass, authz string) error {
	c.user, c.pass, c.authz = user, pass, authz
	c.step, c.done = 0, false
	return nil
}

func (c *scramClient) Done() bool { return c.done }

func (c *scramClient) Step(challenge string) (string, error) {
	c.step++
	switch c.step {
	case 1:
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		c.nonce = base64.RawStdEncoding.EncodeToString(b)
		c.gs2 = "n,,"
		if c.authz != "" {
			c.gs2 = "n,a=" + scramName(c.authz) + ","
		}
		c.first = "n=" + scramName(c.user) + ",r=" + c.nonce
		return c.gs2 + c.first, nil
	case 2:
		return c.final(challenge)
	case 3:
		attrs := scramAttrs(challenge)
		if e, ok := attrs["e"]; ok {
			return "", fmt.Errorf("SCRAM authentication failed: %s", e)
		}
		sig, err := base64.StdEncoding.DecodeString(attrs["v"])
		if err != nil || !hmac.Equal(sig, c.serverSg) {
			return "", errors.New("SCRAM authentication failed: invalid server signature")
		}
		c.done = true
		return "", nil
	}
	return "", errors.New("SCRAM: unexpected extra challenge")
}

func (c *scramClient) final(serverFirst string) (string, error) {
	attrs := scramAttrs(serverFirst)
	if e, ok := attrs["e"]; ok {
		return "", fmt.Errorf("SCRAM authentication failed: %s", e)
	}
	nonce := attrs["r"]
	if !strings.HasPrefix(nonce, c.nonce) || len(nonce) == len(c.nonce) {
		return "", errors.New("SCRAM: server nonce does not extend the client nonce")
	}
	salt, err := base64.StdEncoding.DecodeString(attrs["s"])
	if err != nil {
		return "", errors.New("SCRAM: invalid salt")
	}
	iter, err := strconv.Atoi(attrs["i"])
	if err != nil || iter < 1 {
		return "", errors.New("SCRAM: invalid iteration count")
	}
	salted, err := pbkdf2.Key(c.h, c.pass, salt, iter, c.h().Size())
	if err != nil {
		return "", err
	}
	clientKey := c.mac(salted, "Client Key")
	sum := c.h()
	sum.Write(clientKey)
	storedKey := sum.Sum(nil)
	noProof := "c=" + base64.StdEncoding.EncodeToString([]byte(c.gs2)) + ",r=" + nonce
	authMsg := c.first + "," + serverFirst + "," + noProof
	clientSig := c.mac(storedKey, authMsg)
	proof := make([]byte, len(clientKey))
	for i := range proof {
		proof[i] = clientKey[i] ^ clientSig[i]
	}
	c.serverSg = c.mac(c.mac(salted, "Server Key"), authMsg)
	return noProof + ",p=" + base64.StdEncoding.EncodeToString(proof), nil
}

func (c *scramClient) mac(key []byte, msg string) []byte {
	m := hmac.New(c.h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func scramName(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

func scramAttrs(msg string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(msg, ",") {
		if k, v, ok := strings.Cut(part, "="); ok && len(k) == 1 {
			out[k] = v
		}
	}
	return out
}
