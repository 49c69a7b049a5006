/** Docker without a Docker engine: Dockerfiles and compose files read as text, image build stages rehearsed. */
package io.github.orderstock.systemtests.docker;
