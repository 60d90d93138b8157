// Package javasnippet runs the Java code of docs/integrations/sky-take-out.md with the machine's
// JDK against a real orderalert, so that what a sky-take-out team copies is what is tested.
package javasnippet
