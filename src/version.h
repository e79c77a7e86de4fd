/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Release version of the pcfifo module set, reported by MODULE_VERSION.
 * dkms.conf, debian/changelog, rpm/pcfifo.spec and CHANGELOG carry the
 * same number; tests/pkg/ fails when they disagree.
 */
#ifndef PCFIFO_VERSION_H
#define PCFIFO_VERSION_H

#define PCFIFO_VERSION "0.1.0"

#endif /* PCFIFO_VERSION_H */
