# Tend — build, run and test. `make run` and `make test` are the two set-up commands of README.md.
SHELL := /bin/bash
APT_PACKAGES := libopenblas-dev libncurses-dev tmux
SWIFT ?= swift
RUN_ARGS ?=

.PHONY: deps build release run test bench models clean

# Installs what is missing (as root), or prints the exact apt-get line to run.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing" >&2; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >&2 || exit 1; \
	  else \
	    echo "Tend needs:$$missing. Run:  sudo apt-get update && sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The main job: the dashboard training the bundled digits sample.
run: release
	.build/release/tend $(RUN_ARGS)

test: deps models
	$(SWIFT) build -c release --product tend
	$(SWIFT) test
	@if [ -x Tests/e2e/run.sh ]; then Tests/e2e/run.sh; fi
	Tests/e2e/kill9.sh 20
	Tests/e2e/diskfull.sh

# The reference transformer (all-MiniLM-L6-v2) in ${XDG_CACHE_HOME:-~/.cache}/tend/models/; a no-op when present.
models:
	scripts/fetch-models.sh

bench: release
	.build/release/tend bench all

clean:
	rm -rf .build
