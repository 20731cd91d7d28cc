package serve

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Main is the body of a fake's command. It parses args with fs and calls
// run with a context cancelled on interrupt or SIGTERM and a logger that
// writes text to stderr with logOpts (nil means the defaults). It returns
// the exit code: 0 when run succeeds or help was asked for, 1 when run
// fails (the error is logged under fs's name), and 2 for bad flags.
func Main(fs *flag.FlagSet, args []string, logOpts *slog.HandlerOptions, run func(ctx context.Context, logger *slog.Logger) error) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, logOpts))
	if err := run(ctx, logger); err != nil {
		logger.Error(fs.Name(), "err", err)
		return 1
	}
	return 0
}
