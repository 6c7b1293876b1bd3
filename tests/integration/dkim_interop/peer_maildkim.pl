#!/usr/bin/perl
# Mail::DKIM (Debian libmail-dkim-perl) for test_dkim_interop.sh.
#
#   peer_maildkim.pl sign KEY DOMAIN SELECTOR ALG CANON IN OUT
#   peer_maildkim.pl verify ZONE FILE...   -> "FILE result" per file
#
# DNS is answered offline from ZONE (the keys' zone file) through
# Net::DNS::Resolver::Programmable.  Messages are fed with CRLF line ends,
# as Mail::DKIM expects.
use strict;
use warnings;
use Mail::DKIM::Signer;
use Mail::DKIM::Verifier;
use Mail::DKIM::PrivateKey;
use Net::DNS::Resolver::Programmable;

sub feed {
	my ($obj, $path) = @_;
	open(my $fh, '<:raw', $path) or die "$path: $!";
	while (my $line = <$fh>) {
		$line =~ s/\r?\n\z/\r\n/;
		$obj->PRINT($line);
	}
	close($fh);
	$obj->CLOSE;
}

my $cmd = shift @ARGV;
if ($cmd eq 'sign') {
	my ($key, $domain, $sel, $alg, $canon, $src, $dst) = @ARGV;
	my $k;
	if ($alg eq 'ed25519-sha256') {
		my $der = `openssl pkey -in '$key' -outform DER`;
		my $seed = substr($der, -32);
		require MIME::Base64;
		$k = Mail::DKIM::PrivateKey->load(
		    Data => MIME::Base64::encode_base64($seed, ''),
		    Cork => undef, Type => 'ed25519');
	}
	my $s = Mail::DKIM::Signer->new(
	    Algorithm => $alg, Method => $canon, Domain => $domain,
	    Selector => $sel,
	    ($k ? (Key => $k) : (KeyFile => $key)),
	    Headers => 'from:to:subject:date:message-id');
	feed($s, $src);
	open(my $in, '<:raw', $src) or die;
	local $/;
	my $body = <$in>;
	my $eol = $body =~ /\r\n/ ? "\r\n" : "\n";
	my $sig = $s->signature->as_string;
	$sig =~ s/\r?\n/$eol/g;
	open(my $out, '>:raw', $dst) or die;
	print $out $sig, $eol, $body;
	close($out);
	exit 0;
}
my $zone = shift @ARGV;
my %rr;
open(my $z, '<', $zone) or die "$zone: $!";
while (my $line = <$z>) {
	next unless $line =~ /^(\S+?)\.?\s+(?:\d+\s+)?IN\s+TXT\s+(.*)$/;
	my ($name, $rest) = (lc $1, $2);
	my $text = join('', $rest =~ /"((?:[^"\\]|\\.)*)"/g);
	my @chunks = unpack('(A255)*', $text);
	push @{$rr{$name}}, Net::DNS::RR->new(name => $name, type => 'TXT',
	    ttl => 300, txtdata => [@chunks]);
}
Mail::DKIM::DNS::resolver(
    Net::DNS::Resolver::Programmable->new(records => \%rr));
for my $path (@ARGV) {
	my $v = Mail::DKIM::Verifier->new;
	feed($v, $path);
	print "$path ", $v->result, "\n";
}
