// compose-validate loads compose files with the Compose Specification's own loader (compose-go, the
// library `docker compose` is built on) and prints the normalised model as JSON, the same shape as
// `docker compose config --format json`. Invalid files (schema, interpolation such as `${VAR:?}`,
// references between services) exit non-zero with the loader's message on stderr. It stands in for
// `docker compose config` where the compose plugin is not installed.
//
//	go run . -f ../../docker-compose.yml
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

type files []string

func (f *files) String() string     { return fmt.Sprint(*f) }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var composeFiles files
	flag.Var(&composeFiles, "f", "compose file (repeatable, later files override earlier ones)")
	flag.Parse()
	if len(composeFiles) == 0 {
		composeFiles = files{"docker-compose.yml"}
	}
	if err := run(composeFiles); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(composeFiles []string) error {
	// Like `docker compose config`: the environment and a .env file next to the compose file interpolate
	// it; the project's working directory is the first file's directory.
	options, err := cli.NewProjectOptions(composeFiles, cli.WithOsEnv, cli.WithDotEnv)
	if err != nil {
		return err
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return err
	}
	model, err := project.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(model, '\n'))
	return err
}
