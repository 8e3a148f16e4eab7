#!/usr/bin/perl
# gen-control.pl STANZA-FILE... > debian/control
#
# Joins Debian control stanzas into one debian/control: the first file holds the Source stanza
# and the base packages (packaging/debian/control.in), each further file the stanzas one plugin
# declares in its folder (plugins/<kind>/<name>/debian.control; the list of the enabled ones is
# written by CMake to <build>/packaging/control-stanzas). A stanza naming a package seen before
# adds to it: relationship fields (Depends, Recommends, ...) are joined, any other field must not
# contradict the first value. A new package needs Architecture and Description.
use strict;
use warnings;

use Dpkg::Control;

my @relations = qw(Pre-Depends Depends Recommends Suggests Enhances Breaks Conflicts Provides
  Replaces);
my %is_relation = map { $_ => 1 } @relations;

die "usage: gen-control.pl CONTROL.IN [STANZA-FILE...]\n" unless @ARGV;

my $source;
my @order;    # package names, first appearance first
my %packages;

sub read_stanzas {
    my ($file) = @_;
    open(my $fh, '<', $file) or die "gen-control: cannot read $file: $!\n";
    my @stanzas;
    while (1) {
        my $stanza = Dpkg::Control->new(type => CTRL_UNKNOWN);
        last unless $stanza->parse($fh, $file);
        push @stanzas, $stanza;
    }
    close($fh);
    die "gen-control: $file holds no stanza\n" unless @stanzas;
    return @stanzas;
}

sub add_package {
    my ($stanza, $file) = @_;
    my $name = $stanza->{Package};
    my $known = $packages{$name};
    if (!$known) {
        for my $field (qw(Architecture Description)) {
            die "gen-control: $file: package $name has no $field\n" unless $stanza->{$field};
        }
        my $new = Dpkg::Control->new(type => CTRL_INFO_PKG);
        $new->{$_} = $stanza->{$_} for keys %$stanza;
        $packages{$name} = $new;
        push @order, $name;
        return;
    }
    for my $field (keys %$stanza) {
        next if $field eq 'Package';
        my $value = $stanza->{$field};
        if ($is_relation{$field}) {
            my @items = map { s/^\s+|\s+$//gr } split(/,/, join(',', grep { defined } $known->{$field}, $value));
            my %seen;
            $known->{$field} = join(', ', grep { length && !$seen{$_}++ } @items);
        } elsif (!defined $known->{$field}) {
            $known->{$field} = $value;
        } elsif ($known->{$field} ne $value) {
            die "gen-control: $file: $field of package $name contradicts an earlier stanza\n";
        }
    }
}

my ($base, @plugins) = @ARGV;
my @base = read_stanzas($base);
$source = shift @base;
die "gen-control: $base: the first stanza must be the Source stanza\n" unless $source->{Source};
for my $file ($base, @plugins) {
    my @stanzas = $file eq $base ? @base : read_stanzas($file);
    for my $stanza (@stanzas) {
        die "gen-control: $file: a stanza without Package\n" unless $stanza->{Package};
        add_package($stanza, $file);
    }
}

my $out = Dpkg::Control->new(type => CTRL_INFO_SRC);
$out->{$_} = $source->{$_} for keys %$source;
print $out->output, "\n";
my @stanzas = map { $packages{$_}->output } @order;
print join("\n", @stanzas);
