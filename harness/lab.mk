# lab.mk - build one lab from one source folder (stub, solution or mutant).
#
#   make -f harness/lab.mk LAB=01-fork SRC=labs/01-fork OUT=build/labs/01-fork
#
# The contract header always comes from labs/$(LAB): a solution or a
# student file is graded against the header the student was given.
# Outputs in $(OUT):
#   tests                Criterion binary (functional tier + drivers of the others)
#   scenario_X           -O0 -g build: native runs, Helgrind, DRD, memcheck
#   scenario_X.tsan      -fsanitize=thread build
#   scenario_X.noise     schedule-noise build (-Wl,--wrap at the sync calls)
#   demo_X               the lab's demos, linked with the same lab objects
#   bench_X              (make ... bench) harness/bench/LAB/bench_X.c at -O2

ifndef LAB
$(error LAB is required, e.g. LAB=01-fork)
endif
SRC ?= labs/$(LAB)
OUT ?= build/labs/$(LAB)
KIT := build/kit

CC ?= cc
WERROR ?= -Werror
# Lab code and scenarios stay at -O0 -g: races hide at -O2, and tool
# reports need exact lines (shared/reference/race-toolchain.md section 7).
# DWARF 4: Valgrind 3.19 cannot read the DWARF 5 that clang 14 writes.
CFLAGS_COMMON := -std=gnu11 -Wall -Wextra $(WERROR) -O0 -g -gdwarf-4 -pthread \
    -Ilabs/$(LAB) -Iharness/lib
LDLIBS_COMMON := -pthread
CRITERION_FLAGS := $(shell pkg-config --cflags --libs criterion 2>/dev/null || echo -lcriterion)
# Extra libraries a lab needs (PortAudio, libsndfile, ...) are listed in
# labs/NN-topic/lab.libs, one pkg-config name per word.
LAB_PKGS := $(shell cat labs/$(LAB)/lab.libs 2>/dev/null)
LAB_CFLAGS := $(if $(LAB_PKGS),$(shell pkg-config --cflags $(LAB_PKGS)))
LAB_LIBS := $(if $(LAB_PKGS),$(shell pkg-config --libs $(LAB_PKGS)))

# The wrapped calls: every place a schedule can turn (kit_noise.c).
NOISE_CALLS := pthread_mutex_lock pthread_mutex_unlock pthread_mutex_timedlock \
    pthread_cond_wait pthread_cond_timedwait pthread_cond_signal \
    pthread_cond_broadcast pthread_create pthread_join sem_wait sem_post \
    fork waitpid read write send recv accept connect poll
comma := ,
empty :=
space := $(empty) $(empty)
NOISE_WRAP := -Wl$(subst $(space),,$(foreach c,$(NOISE_CALLS),$(comma)--wrap=$(c)))

LAB_SRCS := $(filter-out $(SRC)/demo_%.c,$(wildcard $(SRC)/*.c))
LAB_OBJS := $(patsubst $(SRC)/%.c,$(OUT)/obj/%.o,$(LAB_SRCS))
TSAN_OBJS := $(patsubst $(SRC)/%.c,$(OUT)/tsan/%.o,$(LAB_SRCS))
TEST_SRCS := $(wildcard harness/tests/$(LAB)/test_*.c)
SCEN_SRCS := $(wildcard harness/tests/$(LAB)/scenario_*.c)
SCENS := $(patsubst harness/tests/$(LAB)/%.c,$(OUT)/%,$(SCEN_SRCS))
DEMO_SRCS := $(wildcard labs/$(LAB)/demo_*.c)
DEMOS := $(patsubst labs/$(LAB)/%.c,$(OUT)/%,$(DEMO_SRCS))
KIT_HDRS := $(wildcard harness/lib/*.h)
# Benchmarks (make bench): optimised builds of the same sources.
BENCH_SRCS := $(wildcard harness/bench/$(LAB)/bench_*.c)
BENCHES := $(patsubst harness/bench/$(LAB)/%.c,$(OUT)/%,$(BENCH_SRCS))
OPT_OBJS := $(patsubst $(SRC)/%.c,$(OUT)/opt/%.o,$(LAB_SRCS))
CFLAGS_OPT := $(filter-out -O0,$(CFLAGS_COMMON)) -O2
# Rebuild when the contract or this file changes (flags live here).
LAB_HDRS := $(wildcard labs/$(LAB)/*.h) harness/lab.mk

all: $(OUT)/obj $(if $(TEST_SRCS),$(OUT)/tests) $(SCENS) $(SCENS:=.tsan) $(SCENS:=.noise) $(DEMOS)

$(OUT)/obj/%.o: $(SRC)/%.c $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) -c $< -o $@

$(OUT)/tsan/%.o: $(SRC)/%.c $(LAB_HDRS) | $(OUT)/tsan
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) -fsanitize=thread -c $< -o $@

$(OUT)/tests: $(TEST_SRCS) $(LAB_OBJS) $(KIT)/libkit.a $(KIT_HDRS) $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) $(TEST_SRCS) $(LAB_OBJS) $(KIT)/libkit.a \
	    $(CRITERION_FLAGS) $(LAB_LIBS) $(LDLIBS_COMMON) -o $@

$(OUT)/scenario_%: harness/tests/$(LAB)/scenario_%.c $(LAB_OBJS) $(KIT)/libkit.a $(KIT_HDRS) $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) $< $(LAB_OBJS) $(KIT)/libkit.a $(LAB_LIBS) $(LDLIBS_COMMON) -o $@

$(OUT)/scenario_%.tsan: harness/tests/$(LAB)/scenario_%.c $(TSAN_OBJS) $(KIT)/libkit.a $(KIT_HDRS) $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) -fsanitize=thread $< $(TSAN_OBJS) $(KIT)/libkit.a \
	    $(LAB_LIBS) $(LDLIBS_COMMON) -o $@

$(OUT)/scenario_%.noise: harness/tests/$(LAB)/scenario_%.c $(LAB_OBJS) $(KIT)/libkit.a $(KIT)/kit_noise.o $(KIT_HDRS) $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) $< $(LAB_OBJS) $(KIT)/kit_noise.o $(KIT)/libkit.a \
	    $(NOISE_WRAP) $(LAB_LIBS) $(LDLIBS_COMMON) -o $@

$(OUT)/demo_%: labs/$(LAB)/demo_%.c $(LAB_OBJS) $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_COMMON) $(LAB_CFLAGS) $< $(LAB_OBJS) $(LAB_LIBS) $(LDLIBS_COMMON) -o $@

bench: $(BENCHES)

$(OUT)/opt/%.o: $(SRC)/%.c $(LAB_HDRS) | $(OUT)/opt
	$(CC) $(CFLAGS_OPT) $(LAB_CFLAGS) -c $< -o $@

$(OUT)/bench_%: harness/bench/$(LAB)/bench_%.c $(OPT_OBJS) $(KIT)/libkit.a $(KIT_HDRS) $(LAB_HDRS) | $(OUT)/obj
	$(CC) $(CFLAGS_OPT) $(LAB_CFLAGS) $< $(OPT_OBJS) $(KIT)/libkit.a $(LAB_LIBS) $(LDLIBS_COMMON) -o $@

$(OUT)/obj $(OUT)/tsan $(OUT)/opt:
	mkdir -p $@

.PHONY: all bench
.DELETE_ON_ERROR:
# The TSan objects are only prerequisites of pattern rules; without this make
# deletes them as intermediates and rebuilds them every time.
.SECONDARY:
