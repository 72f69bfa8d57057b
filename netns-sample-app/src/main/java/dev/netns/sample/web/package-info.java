/** What stands between HTTP and the API: allowed hosts, same-origin writes, body size. */
@NullMarked
package dev.netns.sample.web;

import org.jspecify.annotations.NullMarked;
