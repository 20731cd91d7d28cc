package imagen

import (
	"cmp"
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the imagen MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	f := &flags{}
	return toolkit.Main(toolkit.Program{
		Name:         "imagen",
		Environment:  environment("imagen"),
		Summary:      "generates images from a prompt with Imagen or a Gemini image model and saves them (tool: imagen)",
		Instructions: "imagen makes images from a description; it returns them with the paths of the saved files.",
		Example:      toolkit.Example{Tool: "imagen", Arguments: `{"prompt":"a watercolour lighthouse at dawn","aspectRatio":"16:9"}`},
		Flags:        f.define,
		Register: func(ctx context.Context, s *mcp.Server, cfg toolkit.Config) error {
			opts, err := f.options(ctx, cfg)
			if err != nil {
				return err
			}
			return Register(s, opts)
		},
	})
}

// EditMain runs the imagen_edit MCP server binary with the process's
// arguments and returns its exit code.
func EditMain() int {
	f := &flags{}
	return toolkit.Main(toolkit.Program{
		Name:         "imagen_edit",
		Environment:  environment("imagen_edit"),
		Summary:      "edits images following plain-language instructions with a Gemini image model and saves them (tool: imagen_edit)",
		Instructions: "imagen_edit changes an image (a file path, or base64 data) as instructed; it returns the edited image with the path of the saved file.",
		Example:      toolkit.Example{Tool: "imagen_edit", Arguments: `{"image_path":"/tmp/cat.png","edit_instruction":"add a red hat"}`},
		Flags:        f.define,
		Register: func(ctx context.Context, s *mcp.Server, cfg toolkit.Config) error {
			opts, err := f.options(ctx, cfg)
			if err != nil {
				return err
			}
			return RegisterEdit(s, opts)
		},
	})
}

// environment is the -help text on what the binary called name reads from
// its environment, and how to have openaiserver pass it.
func environment(name string) string {
	return "  IMAGE_DIR, IMAGE_BASE_URL               the defaults of -dir and -image-url\n" +
		backend.Environment + "\n" +
		"openaiserver gives its tools a minimal environment, without keys: name what\n" +
		name + " needs before it on its -mcpservers line; for the Gemini API\n" +
		"  openaiserver -mcpservers \"GEMINI_API_KEY /path/to/" + name + "\"\n" +
		"for Vertex AI (gcloud's default credentials are found through HOME; name\n" +
		"GOOGLE_APPLICATION_CREDENTIALS too for a key file)\n" +
		"  openaiserver -mcpservers \"GCP_PROJECT GCP_REGION /path/to/" + name + "\"\n" +
		"and GCP_PROJECT MODEL_BASE_URL for fakegemini.\n"
}

type flags struct {
	dir, baseURL, imagenModel, imageModel string
}

func (f *flags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "dir", "", "save images in `DIR` (default $IMAGE_DIR, else a folder in the temporary directory)")
	fs.StringVar(&f.baseURL, "image-url", "", "`URL` at which -dir is served over HTTP, to return each image's URL (default $IMAGE_BASE_URL; with -http, the binary serves -dir at /images/ itself)")
	fs.StringVar(&f.imagenModel, "imagen-model", DefaultImagenModel, "Imagen `MODEL` used on Vertex AI")
	fs.StringVar(&f.imageModel, "image-model", DefaultImageModel, "image `MODEL` called through generateContent (editing, and generation on the Gemini API)")
}

// options connects to the model service chosen by the environment (see
// backend.Environment).
func (f *flags) options(ctx context.Context, cfg toolkit.Config) (*Options, error) {
	bc, err := backend.FromEnv(cfg.Getenv)
	if err != nil {
		return nil, err
	}
	client, err := backend.Client(ctx, bc, cfg.Logger)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(cmp.Or(f.dir, cfg.Getenv("IMAGE_DIR"), filepath.Join(os.TempDir(), "gomcptest-images")))
	if err != nil {
		return nil, err
	}
	baseURL := cmp.Or(f.baseURL, cfg.Getenv("IMAGE_BASE_URL"))
	if cfg.Routes != nil && baseURL == "" {
		// Served over HTTP: serve the images too, so each has a URL.
		cfg.Routes.Handle("GET /images/", http.StripPrefix("/images/", imageFiles(dir)))
		baseURL = cfg.URL + "/images"
	}
	return &Options{
		Client: client, Dir: dir, BaseURL: baseURL,
		ImagenModel: f.imagenModel, ImageModel: f.imageModel,
		Policy: cfg.Policy, Logger: cfg.Logger,
	}, nil
}

// imageFiles serves the images of dir, and nothing else: no listing, no
// other file type.
func imageFiles(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch strings.ToLower(filepath.Ext(r.URL.Path)) {
		case ".png", ".jpg", ".jpeg", ".webp", ".gif":
			w.Header().Set("X-Content-Type-Options", "nosniff")
			files.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
