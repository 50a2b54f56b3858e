package offsets

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
)

func BenchmarkKeyBytes(b *testing.B) {
	p := map[string]any{"filename": "/var/log/app.log"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KeyBytes("local-file-source", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreSet10kPartitions: a commit that changes 10,000 partitions,
// including the fsynced atomic rewrite of the file.
func BenchmarkStoreSet10kPartitions(b *testing.B) {
	for _, format := range []Format{FormatNative, FormatJava} {
		b.Run(format.String(), func(b *testing.B) {
			s, err := OpenFileWithFormat(filepath.Join(b.TempDir(), "o"), format)
			if err != nil {
				b.Fatal(err)
			}
			batch := make([]connectors.PartitionOffset, 10000)
			for i := range batch {
				batch[i].Partition = part(fmt.Sprintf("/data/file-%05d.txt", i))
			}
			b.ReportAllocs()
			n := int64(0)
			for b.Loop() {
				n++
				for i := range batch {
					batch[i].Offset = pos(n)
				}
				if err := s.Set(bg, "local-file-source", batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
