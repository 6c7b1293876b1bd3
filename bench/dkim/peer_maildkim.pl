#!/usr/bin/perl
# Mail::DKIM over the bench corpus: peer_maildkim.pl ZONE LIST [ALG].
# Only messages whose algorithm is ALG (Debian 12's Mail::DKIM has no
# ed25519).  Loads every message first, answers DNS from memory, times the
# verification loop; prints "<messages> <seconds> <passes>".
use strict;
use warnings;
use Time::HiRes qw(time);
use Mail::DKIM::Verifier;
use Net::DNS::Resolver::Programmable;

my ($zone, $list, $alg) = @ARGV;
my %rr;
open(my $z, '<', $zone) or die;
while (<$z>) {
	next unless /^(\S+?)\.?\s+IN\s+TXT\s+(.*)$/;
	my ($n, $t) = (lc $1, join('', $2 =~ /"([^"]*)"/g));
	$rr{$n} = [Net::DNS::RR->new(name => $n, type => 'TXT', ttl => 300,
	    txtdata => [unpack('(A255)*', $t)])];
}
Mail::DKIM::DNS::resolver(Net::DNS::Resolver::Programmable->new(
    records => \%rr));
my @msgs;
open(my $l, '<', $list) or die;
while (<$l>) {
	my ($f, $a) = split /\t/;
	next if defined $alg && $a ne $alg;
	open(my $fh, '<:raw', $f) or die;
	local $/;
	my $m = <$fh>;
	$m =~ s/\r?\n/\r\n/g;
	push @msgs, $m;
}
my ($ok, $t0) = (0, time);
for my $m (@msgs) {
	my $v = Mail::DKIM::Verifier->new;
	$v->PRINT($m);
	$v->CLOSE;
	$ok++ if $v->result eq 'pass';
}
printf "%d %f %d\n", scalar @msgs, time - $t0, $ok;
