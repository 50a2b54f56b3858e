package tlsstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// decryptPKCS8 decrypts an "ENCRYPTED PRIVATE KEY" (PKCS#8
// EncryptedPrivateKeyInfo) protected with PBES2 (PBKDF2 + AES-CBC or
// 3DES-CBC), the scheme Kafka's PEM keystore requires and what
// `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes. The standard library
// has no decoder for it.
func decryptPKCS8(der, password []byte) ([]byte, error) {
	var info struct {
		Algo algoID
		Data []byte
	}
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, fmt.Errorf("invalid encrypted private key: %w", err)
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("unsupported private key encryption %v (only PBES2 is supported)", info.Algo.Algorithm)
	}
	var params struct {
		KDF algoID
		Enc algoID
	}
	if _, err := asn1.Unmarshal(info.Algo.Params.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("invalid PBES2 parameters: %w", err)
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("unsupported key derivation %v (only PBKDF2 is supported)", params.KDF.Algorithm)
	}
	var kdf struct {
		Salt      []byte
		Iter      int
		KeyLength int    `asn1:"optional"`
		PRF       algoID `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(params.KDF.Params.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("invalid PBKDF2 parameters: %w", err)
	}
	prf := func() hash.Hash { return sha1.New() }
	if len(kdf.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = prfs[kdf.PRF.Algorithm.String()]; !ok {
			return nil, fmt.Errorf("unsupported PBKDF2 PRF %v", kdf.PRF.Algorithm)
		}
	}
	var keyLen int
	var newBlock func([]byte) (cipher.Block, error)
	switch params.Enc.Algorithm.String() {
	case "2.16.840.1.101.3.4.1.2":
		keyLen, newBlock = 16, aes.NewCipher
	case "2.16.840.1.101.3.4.1.22":
		keyLen, newBlock = 24, aes.NewCipher
	case "2.16.840.1.101.3.4.1.42":
		keyLen, newBlock = 32, aes.NewCipher
	case "1.2.840.113549.3.7":
		keyLen, newBlock = 24, des.NewTripleDESCipher
	default:
		return nil, fmt.Errorf("unsupported private key cipher %v", params.Enc.Algorithm)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Enc.Params.FullBytes, &iv); err != nil {
		return nil, fmt.Errorf("invalid cipher parameters: %w", err)
	}
	key, err := pbkdf2.Key(prf, string(password), kdf.Salt, kdf.Iter, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := newBlock(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != block.BlockSize() || len(info.Data) == 0 || len(info.Data)%block.BlockSize() != 0 {
		return nil, errors.New("invalid encrypted private key length")
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, info.Data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > block.BlockSize() || !hmac.Equal(out[len(out)-pad:], bytesOf(byte(pad), pad)) {
		return nil, errors.New("cannot decrypt private key: wrong ssl.key.password")
	}
	return out[:len(out)-pad], nil
}

type algoID struct {
	Algorithm asn1.ObjectIdentifier
	Params    asn1.RawValue `asn1:"optional"`
}

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	prfs      = map[string]func() hash.Hash{
		"1.2.840.113549.2.7":  sha1.New,
		"1.2.840.113549.2.8":  sha256.New224,
		"1.2.840.113549.2.9":  sha256.New,
		"1.2.840.113549.2.10": sha512.New384,
		"1.2.840.113549.2.11": sha512.New,
	}
)

func bytesOf(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}
