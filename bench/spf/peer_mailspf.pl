#!/usr/bin/perl
# bench/spf/peer_mailspf.pl RECORDS QUERIES -- Mail::SPF (Debian
# libmail-spf-perl) over the benchmark's records, served by
# Net::DNS::Resolver::Programmable from a hash built from records.tsv.
# Prints one result a line, then "# N evaluations in S seconds" on
# stderr (the evaluation loop only, after loading).
use strict;
use warnings;
use Time::HiRes qw(time);
use Net::DNS;
use Net::DNS::Resolver::Programmable;
use Mail::SPF;

my ($records, $queries) = @ARGV;
my %zone;
open(my $rf, '<', $records) or die "$records: $!";
while (my $line = <$rf>) {
	chomp $line;
	my ($name, $type, $data) = split /\t/, $line, 3;
	$data = "\"$data\"" if $type eq 'TXT';
	$data .= '.' if $type eq 'MX';
	push @{$zone{lc $name}}, Net::DNS::RR->new("$name. 3600 IN $type $data");
}
close $rf;
my $resolver = Net::DNS::Resolver::Programmable->new(records => \%zone);
my $server = Mail::SPF::Server->new(dns_resolver => $resolver);

open(my $qf, '<', $queries) or die "$queries: $!";
my @q = map { [split] } grep { /\S/ } <$qf>;
close $qf;
my @out;
my $t0 = time;
for my $x (@q) {
	my $req = Mail::SPF::Request->new(scope => 'mfrom',
	    identity => $x->[1], ip_address => $x->[0],
	    helo_identity => $x->[2]);
	push @out, $server->process($req)->code;
}
my $t1 = time;
print join("\n", @out), "\n";
printf STDERR "# %d evaluations in %.3f seconds\n", scalar @out, $t1 - $t0;
