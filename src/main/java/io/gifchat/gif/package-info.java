/**
 * GIFs: upload (members only, capped while read), the structural validator, GridFS storage under random ids,
 * serving; a posted GIF becomes a line in the room's log.
 */
@ApplicationModule(displayName = "GIFs", allowedDependencies = {"chat", "room", "identity", "limits", "domain"})
package io.gifchat.gif;

import org.springframework.modulith.ApplicationModule;
