package io.gifchat.admin;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The administrator's login page; Spring Security handles the POST and comes back here with {@code ?error} (wrong
 * name or password) or {@code ?logout}. The page says each only then. The template used to test {@code param.error},
 * which under WebFlux counted as present on a first visit too (both messages showed): it gets plain booleans.
 */
@Controller
class LoginController {

    @GetMapping("/login")
    String login(ServerWebExchange exchange, Model model) {
        var query = exchange.getRequest().getQueryParams();
        model.addAttribute("failed", query.containsKey("error"));
        model.addAttribute("loggedOut", query.containsKey("logout"));
        return "login";
    }
}
