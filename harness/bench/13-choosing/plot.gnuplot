# plot.gnuplot - lab 13's speed-ups, C beside Python, as a PNG.
# Run by plot.py, which writes the data file and passes its path:
#   gnuplot -e "datafile='...'; outfile='...'" plot.gnuplot
# Data columns: label, C speed-up, Python speed-up (NaN: not measured).
# Rows 0-2: the CPU-bound job (base: 1 thread); rows 3-4: the I/O-bound
# job (base: the requests one after another).
set terminal pngcairo size 1100,480 font "sans,10"
set output outfile
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile separator "\t"
set datafile missing "NaN"
set yrange [0:*]
set grid ytics
set key below horizontal  # never over a bar, whatever the figures
set xtics nomirror
set multiplot layout 1,2 title "Speed-up, same job, same run, this 2-core machine"
set title "CPU-bound: primes below 1M (base: 1 thread)"
set ylabel "times faster (higher is better)"
plot datafile every ::0::2 using 2:xtic(1) title "C (no GIL)" linecolor rgb "#3b6ea8", \
     "" every ::0::2 using 3 title "Python 3 (GIL)" linecolor rgb "#d9822b", \
     1 with lines dashtype 2 linecolor rgb "#555555" notitle
set title "I/O-bound: 16 requests, 50 ms each (base: one after another)"
set ylabel ""
plot datafile every ::3::4 using 2:xtic(1) title "C" linecolor rgb "#3b6ea8", \
     "" every ::3::4 using 3 title "Python 3" linecolor rgb "#d9822b"
unset multiplot
