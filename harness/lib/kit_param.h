/*
 * kit_param.h - every tunable of the harness, one per line (xv6 param.h).
 */
#ifndef KIT_PARAM_H
#define KIT_PARAM_H

/* The watchdog fires at this fraction of the suite's .timeout, so the
 * stack dump is printed before Criterion's own timeout kills the worker. */
#define KIT_WATCHDOG_FRACTION 0.75

/* KIT_WATCHDOG_S in the environment replaces the computed watchdog; the
 * self-test sets it for mutant runs only (harness/tools/selftest.py). */

/* Watchdog when a suite declares no .timeout (R33 forbids that). */
#define KIT_WATCHDOG_DEFAULT_S 20.0

/* Seconds a finished test's threads get to leave /proc/self/task. */
#define KIT_THREAD_GRACE_S 1.0

/* Ordering tier: runs per check (REPEAT=) and the first seed (SEED=). */
#define KIT_DEFAULT_REPEAT 50
#define KIT_DEFAULT_SEED 1

/* Schedule noise: chance (%) of a delay at each wrapped call, and the
 * longest sleep (µs).  Half the delays are sched_yield(). */
#define KIT_NOISE_PCT 20
#define KIT_NOISE_MAX_US 200

/* Deadline for one native scenario run, seconds. */
#define KIT_SCENARIO_TIMEOUT_S 10.0

/* Deadline multipliers per tool (measured slowdowns are 14-560x on
 * threaded sections; scenarios are kept small so these suffice). */
#define KIT_VALGRIND_TIMEOUT_S 60.0
#define KIT_TSAN_TIMEOUT_S 30.0

/* Suppression files read from harness/supp/ (one per library). */
#define KIT_MAX_SUPP_FILES 8

/* Seeds listed in an ordering failure message. */
#define KIT_MAX_SEEDS_SHOWN 8

#endif /* KIT_PARAM_H */
