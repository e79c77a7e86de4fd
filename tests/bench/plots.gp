# SPDX-License-Identifier: GPL-2.0
#
# plots.gp: the plots of BENCHMARKS.md, one SVG per call:
#   gnuplot -e "plot_name='NAME'; data='NAME.dat'; out='NAME.svg'" plots.gp
# tests/bench/run.sh calls it for each data file that report.awk wrote
# (see there for the columns); NaN is a figure not measured.

set terminal svg size 900,420 dynamic enhanced font "sans,11" background rgb "white"
set output out
set grid ytics mytics lc rgb "#dddddd"
set key top left box opaque
set datafile missing "NaN"

new = "#1f5fa8"
old = "#c0392b"

if (plot_name eq "rate-error") {
	# rate err lo hi devpct devlo devhi
	set title "Rate precision: achieved rate and worst 1-s deviation"
	set logscale x 10
	set format x "10^{%T}"
	set xlabel "rate, items/s"
	set ylabel "achieved rate error, % (median, runs' range)"
	set y2label "worst 1-s deviation, % of rate"
	set ytics nomirror
	set y2tics
	set key tmargin center horizontal
	set xrange [0.5:2000000]
	plot data using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb new title "rate error %", \
	     data using 1:5:6:7 axes x1y2 with yerrorlines lw 1 dt 2 pt 5 lc rgb old \
		title "worst 1-s deviation, % of rate (right axis)"
}

if (plot_name eq "spacing") {
	# level, then per rate: new old (the rates in the first line)
	hdr = system("head -n1 '" . data . "'")
	n = (words(hdr) - 1) / 2
	set multiplot layout 1, n title "Spacing error |interval - period| as % of the period, by percentile of intervals"
	set logscale y 10
	set yrange [0.01:100000]
	set format y "10^{%T}"
	set xlabel "percentile"
	set key top left
	do for [i = 1:n] {
		set title word(hdr, 2 * i) . " items/s"
		if (i == 1) { set ylabel "error, % of period (0 shown as 0.01)" } else { unset ylabel; unset key }
		plot data every ::1 using 0:(column(2 * i) < 0.01 ? 0.01 : column(2 * i)):xtic(1) \
			with linespoints lw 2 pt 7 lc rgb new title "current", \
		     data every ::1 using 0:(column(2 * i + 1) < 0.01 ? 0.01 : column(2 * i + 1)) \
			with linespoints lw 2 pt 5 dt 2 lc rgb old title "old (jiffies)"
	}
	unset multiplot
}

if (plot_name eq "latency") {
	# rate avg p50 p99 max (us)
	set title "Put-to-get latency of a waiting consumer"
	set logscale xy 10
	set format x "10^{%T}"
	set xlabel "producer rate, items/s"
	set ylabel "latency, us"
	set key bottom left
	set xrange [500:200000]
	plot data using 1:3 with linespoints lw 2 pt 7 lc rgb new title "p50 (bucket bound)", \
	     data using 1:2 with linespoints lw 1 pt 6 lc rgb "#555555" title "average", \
	     data using 1:4 with linespoints lw 2 pt 5 lc rgb old title "p99 (bucket bound)", \
	     data using 1:5 with linespoints lw 1 dt 2 pt 4 lc rgb "#8e44ad" title "max"
}

if (plot_name eq "throughput") {
	# "label" pcfifo kfifo-b1 kfifo-b16 kfifo-spin-b16 kfifo-stamp-b1 pipe
	set title "Throughput against the baselines (median of runs)"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.85 border -1
	set logscale y 10
	set yrange [10000:*]
	set format y "10^{%T}"
	set ylabel "items/s"
	set key top left
	plot data using 2:xtic(1) lc rgb new title "pcfifo", \
	     "" using 3 lc rgb "#e67e22" title "kfifo sleep 1/lock", \
	     "" using 4 lc rgb "#f1c40f" title "kfifo sleep 16/lock", \
	     "" using 5 lc rgb old title "kfifo spin 16/lock", \
	     "" using 6 lc rgb "#7f8c8d" title "kfifo sleep 1/lock + clock", \
	     "" using 7 lc rgb "#27ae60" title "pipe"
}

if (plot_name eq "cost") {
	# rate new_us old_us new_loc old_loc
	set title "Cost of precision: one producer and one consumer at the rate"
	set logscale x 10
	set format x "10^{%T}"
	set xlabel "rate, items/s"
	set ylabel "CPU per item, us (net of idle)"
	set y2label "timer interrupts /s (net of idle)"
	set logscale y 10
	set logscale y2 10
	set ytics nomirror
	set y2tics
	set xrange [50:20000]
	plot data using 1:2 with linespoints lw 2 pt 7 lc rgb new title "CPU per item, current", \
	     data using 1:3 with linespoints lw 2 pt 5 lc rgb old title "CPU per item, old", \
	     data using 1:4 axes x1y2 with linespoints lw 1 dt 2 pt 6 lc rgb new title "timer interrupts/s, current", \
	     data using 1:5 axes x1y2 with linespoints lw 1 dt 2 pt 4 lc rgb old title "timer interrupts/s, old"
}
