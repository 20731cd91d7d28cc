package plantuml

import (
	"bytes"
	"compress/flate"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// alphabet is PlantUML's base64 alphabet: digits first, and URL-safe.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// maxDecoded bounds the text Decode inflates, against deflate bombs.
const maxDecoded = 4 << 20

// ErrEncoding is wrapped by Decode's errors about its input.
var ErrEncoding = errors.New("not a PlantUML encoding")

// Encode returns source as PlantUML encodes it for a server URL: raw
// deflate, then PlantUML's base64 ([encode64]).
//
// The text may differ from what PlantUML's Java encoder writes for the same
// source, since Go's deflate is not zlib's, but every PlantUML decoder
// reads it back: deflate streams are interchangeable.
func Encode(source string) string {
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.BestCompression) // the level is valid
	w.Write([]byte(source))                            // a bytes.Buffer never fails
	w.Close()
	return encode64(z.Bytes())
}

// Decode returns the source that Encode (or PlantUML) encoded. It also
// accepts the hexadecimal form "~h..." of PlantUML URLs, and a whole
// diagram URL, whose last path segment it decodes.
func Decode(encoded string) (string, error) {
	encoded = strings.TrimSpace(encoded)
	if u, err := url.Parse(encoded); err == nil && u.Scheme != "" {
		encoded = u.Path[strings.LastIndex(u.Path, "/")+1:]
	}
	switch {
	case encoded == "":
		return "", fmt.Errorf("%w: the text is empty", ErrEncoding)
	case strings.HasPrefix(encoded, "~h"):
		b, err := hex.DecodeString(encoded[2:])
		if err != nil {
			return "", fmt.Errorf("%w: bad hexadecimal after ~h: %v", ErrEncoding, err)
		}
		return string(b), nil
	case strings.HasPrefix(encoded, "~"):
		return "", fmt.Errorf("%w: the %q variant is not supported, only PlantUML's default deflate encoding and ~h", ErrEncoding, encoded[:min(2, len(encoded))])
	}
	data, err := decode64(encoded)
	if err != nil {
		return "", err
	}
	r := flate.NewReader(bytes.NewReader(data))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxDecoded+1))
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "", fmt.Errorf("%w: the data ends too early (was the URL cut?)", ErrEncoding)
	}
	if err != nil {
		return "", fmt.Errorf("%w: inflating: %v", ErrEncoding, err)
	}
	if len(out) == 0 {
		return "", fmt.Errorf("%w: it holds no text", ErrEncoding)
	}
	if len(out) > maxDecoded {
		return "", fmt.Errorf("%w: the diagram is over %d bytes", ErrEncoding, maxDecoded)
	}
	return string(out), nil
}

// encode64 is PlantUML's base64: every 3 bytes become 4 characters of
// [alphabet], the last group padded with zero bytes, and no '=' padding.
func encode64(data []byte) string {
	var b strings.Builder
	for i := 0; i < len(data); i += 3 {
		var g [3]byte
		copy(g[:], data[i:])
		b.WriteByte(alphabet[g[0]>>2])
		b.WriteByte(alphabet[(g[0]&0x3)<<4|g[1]>>4])
		b.WriteByte(alphabet[(g[1]&0xF)<<2|g[2]>>6])
		b.WriteByte(alphabet[g[2]&0x3F])
	}
	return b.String()
}

// decode64 reverses [encode64]; a last group of fewer than 4 characters is
// read as if padded with '0'.
func decode64(encoded string) ([]byte, error) {
	data := make([]byte, 0, len(encoded)*3/4+3)
	for i := 0; i < len(encoded); i += 4 {
		var g [4]byte
		for j := 0; j < 4 && i+j < len(encoded); j++ {
			k := strings.IndexByte(alphabet, encoded[i+j])
			if k < 0 {
				return nil, fmt.Errorf("%w: character %q at %d is outside PlantUML's alphabet", ErrEncoding, encoded[i+j], i+j)
			}
			g[j] = byte(k)
		}
		data = append(data, g[0]<<2|g[1]>>4, g[1]<<4|g[2]>>2, g[2]<<6|g[3])
	}
	return data, nil
}
