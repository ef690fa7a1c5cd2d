/** The one administrator: login page, account, and the page listing every room with a delete button. */
@ApplicationModule(displayName = "Admin", allowedDependencies = {"room", "identity", "limits"})
package io.gifchat.admin;

import org.springframework.modulith.ApplicationModule;
