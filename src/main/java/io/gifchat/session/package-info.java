/** Browser sessions in MongoDB (Spring Session): the cookie, the timeout, and sweeping expired sessions. */
@ApplicationModule(displayName = "Sessions", allowedDependencies = {})
package io.gifchat.session;

import org.springframework.modulith.ApplicationModule;
