package io.glisk.console;

import io.glisk.ops.TokenOperations;
import io.glisk.settings.RunMode;
import java.security.Principal;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The landing page, the sign-in and sign-out pages, and the avatar section's place in the console. */
@Controller
class ConsolePages {

    private final TokenOperations tokens;
    private final ConsoleSettings settings;
    private final boolean local;

    ConsolePages(TokenOperations tokens, ConsoleSettings settings, Environment environment) {
        this.tokens = tokens;
        this.settings = settings;
        this.local = RunMode.isLocal(environment);
    }

    @GetMapping({"/ui", "/ui/"})
    String home(Model model) {
        model.addAttribute("summary", TokenSummary.of(tokens.statusCounts()));
        model.addAttribute("grafanaUrl", settings.grafanaUrl());
        model.addAttribute("local", local);
        // for the demo mint command: the address the reader reached the service at
        model.addAttribute("baseUrl", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        return "console/home";
    }

    /** The avatar pipeline's pages take this place when its API is there. */
    @GetMapping({"/ui/avatar", "/ui/avatar/"})
    String avatar() {
        return "console/avatar";
    }

    /**
     * Spring Security handles the form's POST; {@code error} and {@code logout} are the flags it redirects with
     * (only their presence counts).
     */
    @GetMapping("/login")
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
                 Principal user, Model model) {
        if (user != null) {
            return "redirect:/ui/";
        }
        model.addAttribute("failed", error != null);
        model.addAttribute("signedOut", logout != null);
        return "console/login";
    }

    /** Signing out is a POST with the CSRF token (a link could be forged): this page holds that form. */
    @GetMapping("/logout")
    String logout(Principal user) {
        return user == null ? "redirect:/login" : "console/logout";
    }
}
