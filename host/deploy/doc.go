// Package deploy holds the files that deploy openaiserver, and the tests
// that check them where they cannot run (no container engine, no systemd
// as PID 1):
//
//   - Dockerfile (with Dockerfile.dockerignore): the image, openaiserver and
//     its tools in /usr/local/bin, built from the repository's root with
//     docker build -f host/deploy/Dockerfile .
//   - openaiserver.service: a systemd unit, sandboxed.
//   - openaiserver.env: the environment both read, to fill in.
//
// README.md, "Deploying", says how to use them and what each variable does.
package deploy
