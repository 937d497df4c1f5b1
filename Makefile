# pxed: see README.md.  make, make check, make demo, make bench, make install.

PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR	?=

CC	?= cc
PKGS	 = libbsd-overlay libsodium yaml-0.1
WARN	 = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	   -Wshadow -Wpointer-arith -Wcast-qual -Wsign-compare
CFLAGS	?= -O2 -g
CFLAGS	+= $(WARN) -D_GNU_SOURCE -Icommon $(shell pkg-config --cflags $(PKGS))
LDLIBS	+= $(shell pkg-config --libs $(PKGS))

# make SECCOMP_DEBUG=1: a forbidden syscall traps and is named on stderr.
ifeq ($(SECCOMP_DEBUG),1)
CFLAGS	+= -DSECCOMP_DEBUG
endif

B	 = build

# make check SANITIZE=1: the whole suite on an ASan + UBSan build.
ifeq ($(SANITIZE),1)
CFLAGS	+= -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
LDFLAGS	+= -fsanitize=address,undefined
B	 = build/asan
endif
O	 = $(B)/obj
COMMON	 = $(patsubst %.c,$(O)/%.o,$(wildcard common/*.c))
DAEMON	 = $(patsubst %.c,$(O)/%.o,$(filter-out master/pxed.c, \
	   $(wildcard master/*.c dhcpd/*.c tftpd/*.c httpd/*.c)))
UNITSRC	 = $(wildcard regress/unit/*_test.c)
UNITS	 = $(patsubst regress/unit/%.c,$(B)/regress/%,$(UNITSRC))

all: $(B)/pxed $(B)/pxectl

$(B)/pxed: $(O)/master/pxed.o $(DAEMON) $(COMMON)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/pxectl: $(O)/pxectl/pxectl.o $(O)/pxectl/print.o $(B)/libpxed.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link against an archive, so each pulls in only what it calls.
$(B)/libpxed.a: $(DAEMON) $(COMMON)
	rm -f $@
	ar rcs $@ $^

$(B)/regress/%: regress/unit/%.c $(wildcard regress/unit/*.h) $(B)/libpxed.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iregress/unit -Imaster -Idhcpd $(LDFLAGS) -o $@ $< $(B)/libpxed.a $(LDLIBS)

$(O)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Traffic generators the integration tests run.
TOOLS	 = $(B)/regress/dhcpflood

$(B)/regress/dhcpflood: regress/integration/dhcpflood.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

units: $(UNITS) $(TOOLS)

# The boot storm's load client (regress/bench/storm.sh).
STORMSRC = $(wildcard regress/bench/storm*.c)
$(B)/storm: $(STORMSRC) regress/bench/storm.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(STORMSRC) $(LDLIBS)

storm: $(B)/storm $(B)/tftpload $(B)/dhcpload

# The TFTP benchmark's load client: many downloads from one loop.
$(B)/tftpload: regress/bench/tftpload.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# The DHCP benchmarks' load client: perfdhcp's exchanges, 40,000+/s from one core.
$(B)/dhcpload: regress/bench/dhcpload.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# libFuzzer harnesses (clang): every object again, instrumented.
FUZZCC	?= clang
FUZZTIME ?= 60
FUZZFL	 = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Icommon -Imaster \
	   -Idhcpd -Itftpd -Ihttpd \
	   $(shell pkg-config --cflags $(PKGS))
FO	 = $(B)/fuzz/obj
FUZZOBJ	 = $(patsubst $(O)/%,$(FO)/%,$(DAEMON) $(COMMON))
FUZZERS	 = $(patsubst regress/fuzz/%.c,$(B)/fuzz/%,$(wildcard regress/fuzz/*_fuzz.c))

$(FO)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(@D)
	$(FUZZCC) $(FUZZFL) -c -o $@ $<

$(B)/fuzz/libpxed.a: $(FUZZOBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/fuzz/%_fuzz: regress/fuzz/%_fuzz.c $(B)/fuzz/libpxed.a
	$(FUZZCC) $(FUZZFL) -fsanitize=fuzzer -o $@ $< $(B)/fuzz/libpxed.a $(LDLIBS)

fuzzers: $(FUZZERS)

fuzz: $(FUZZERS)
	@BUILD=$(B) sh regress/fuzz/run.sh $(FUZZTIME)

deps:
	@sh regress/deps.sh

check: deps
	@$(MAKE) --no-print-directory all units fuzzers storm
	@BUILD=$(B) sh regress/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh regress/e2e/demo.sh

bench: all $(B)/storm $(B)/tftpload $(B)/dhcpload
	@BUILD=$(B) sh regress/bench/run.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/pxed/templates
	install -m 0755 $(B)/pxed $(B)/pxectl $(DESTDIR)$(SBINDIR)
	install -m 0644 master/pxed.8 pxectl/pxectl.8 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 master/pxed.yaml.5 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 etc/pxed.yaml $(DESTDIR)$(SYSCONFDIR)/pxed/pxed.yaml.sample
	install -m 0644 etc/templates/* $(DESTDIR)$(SYSCONFDIR)/pxed/templates
	install -d $(DESTDIR)$(SYSCONFDIR)/init.d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|/usr/local/sbin|$(SBINDIR)|g; s|/etc/pxed|$(SYSCONFDIR)/pxed|g' \
	    etc/rc.d/pxed >$(DESTDIR)$(SYSCONFDIR)/init.d/pxed
	chmod 0755 $(DESTDIR)$(SYSCONFDIR)/init.d/pxed
	sed 's|/usr/local/sbin|$(SBINDIR)|g; s|/etc/pxed|$(SYSCONFDIR)/pxed|g' \
	    etc/pxed.service >$(DESTDIR)$(PREFIX)/lib/systemd/system/pxed.service

clean:
	rm -rf $(B)

.PHONY: all deps units storm fuzzers fuzz check demo bench install clean
.SECONDARY:
