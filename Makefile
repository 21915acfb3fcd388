# Makefile - the kit's only entry point.  `make help` lists the targets.
#
# Narrowing and repeating (student and instructor targets):
#   LAB=01        one lab (number or full name, e.g. 01-fork)
#   TEST=name     one test (the part after "suite::"), e.g. TEST=report_gives_matching_pids
#   SEED=n        first seed of the schedule noise (ordering tier)
#   REPEAT=n      runs per ordering check (default 50)
#   FAST=1        skip the Valgrind tiers (race and memory) for a quick loop

SHELL := /bin/bash
PYTHON ?= python3
KIT := build/kit
KIT_SRCS := $(filter-out harness/lib/kit_noise.c,$(wildcard harness/lib/*.c))
KIT_OBJS := $(patsubst harness/lib/%.c,$(KIT)/%.o,$(KIT_SRCS))
KIT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O0 -g -pthread -Iharness/lib \
    -DKIT_STACKS_SCRIPT='"$(abspath harness/lib/kit_stacks.py)"' \
    -DKIT_SUPP_DIR='"$(abspath harness/supp)"'

export LAB TEST SEED REPEAT FAST

.PHONY: help deps check check-solutions test kit grade clean doctor bench

help:
	@echo "make deps              install everything the kit needs (Debian/Ubuntu)"
	@echo "make check [LAB=01]    grade your work in labs/ (scoreboard + results.json)"
	@echo "make check-solutions   the same against the reference solutions"
	@echo "make test              the kit's self-test (what CI runs)"
	@echo "make grade SUBMISSIONS=dir   grade a folder of student copies of labs/"
	@echo "make doctor            check the tools the harness relies on"
	@echo "make bench [LAB=03]    C beside Python, same run; writes docs/bench.md"
	@echo "variables: LAB= TEST= SEED= REPEAT= FAST=1   (see README.md)"

deps:
	@bash harness/tools/deps.sh

kit: $(KIT)/libkit.a $(KIT)/kit_noise.o

$(KIT)/libkit.a: $(KIT_OBJS)
	rm -f $@ && ar rcs $@ $^

$(KIT)/%.o: harness/lib/%.c $(wildcard harness/lib/*.h) | $(KIT)
	$(CC) $(KIT_CFLAGS) $(shell pkg-config --cflags criterion 2>/dev/null) -c $< -o $@

$(KIT):
	mkdir -p $@

check: kit
	@$(PYTHON) harness/tools/kit.py check --src labs

check-solutions: kit
	@$(PYTHON) harness/tools/kit.py check --src solutions

test: kit
	@$(PYTHON) harness/tools/kit.py selftest

grade: kit
	@$(PYTHON) harness/tools/kit.py grade --submissions "$(SUBMISSIONS)"

doctor: kit
	@$(PYTHON) harness/tools/kit.py doctor

bench: kit
	@$(PYTHON) harness/tools/kit.py bench

clean:
	rm -rf build results.json
