#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The naming rule of docs/hacking.md, checked on what the linker sees: every
# global symbol an object file of sipcid's libraries defines starts with its
# module's prefix. The module is the object's file name or a leading part of
# it cut at an underscore (calllog_export.c: calllog_export or calllog);
# capture_<source>.c may drop the stage word (sipcid_nfq_); notifiers/ use
# notify_ instead of sipcid_; rules/ internals (rules_private.h) use rules_.
#   naming_rule.sh BUILD_DIR
set -u
build=$1
bad=0
checked=0
while read -r lib; do
	case $lib in
	*/tests/* | */bench/*) continue ;;
	esac
	obj=
	while read -r line; do
		case $line in
		*.o:) obj=${line%:}; continue ;;
		'') continue ;;
		esac
		sym=${line##* }
		# Names with two leading underscores are the compiler's (ASan's
		# __odr_asan.X beside each global), not ours; so is DW.ref.X, the
		# C++ exception personality of lib/phonenumber.cpp.
		case $sym in __* | DW.ref.*) continue ;; esac
		file=${obj##*/}
		file=${file%.c.o}
		file=${file%.cpp.o}
		# a source generated at build time (meson-generated_.._X.c) is X.c
		case $file in meson-generated_*) file=${file##*_.._} ;; esac
		ok=0
		m=$file
		while :; do
			case $sym in
			sipcid_"$m"_* | sipcid_"$m") ok=1 ;;
			esac
			case $lib in
			*notifiers*) case $sym in notify_"$m"_* | notify_*) ok=1 ;; esac ;;
			*rules*) case $sym in rules_* | sipcid_rules_*) ok=1 ;; esac ;;
			esac
			case $file in
			capture_*) case $sym in sipcid_"${file#capture_}"_*) ok=1 ;; esac ;;
			esac
			[ $ok = 1 ] && break
			case $m in *_*) m=${m%_*} ;; *) break ;; esac
		done
		checked=$((checked + 1))
		if [ $ok = 0 ]; then
			echo "not named for its module: $sym (in $file.c, $(basename "$lib"))"
			bad=$((bad + 1))
		fi
	done < <(nm -A -g --defined-only "$lib" 2>/dev/null | awk -F: '{o=$2; n=split($0,a," "); if (a[n-1] ~ /^[TDBRCV]$/) {if (o!=last) {print o":"; last=o} print a[n]}}')
done < <(find "$build" -name '*.a' -not -path '*/subprojects/*' | sort)
echo "$checked symbols checked, $bad not named for their module"
[ $checked -gt 100 ] && [ $bad = 0 ]
