package io.glisk.console;

import io.glisk.avatar.AvatarTaskViews;
import io.glisk.ops.TokenOperations;
import io.glisk.settings.RunMode;
import java.security.Principal;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The landing page, the sign-in and sign-out pages. */
@Controller
class ConsolePages {

    /** While tokens or avatar tasks are on their way the counts refresh often, otherwise now and then. */
    private static final int BUSY_REFRESH_MILLIS = 2_000;
    private static final int IDLE_REFRESH_MILLIS = 5_000;

    private final TokenOperations tokens;
    /** Absent on an instance that runs without the avatar stage: its card says so. */
    private final ObjectProvider<AvatarTaskViews> avatar;
    private final ConsoleSettings settings;
    private final boolean local;

    ConsolePages(TokenOperations tokens, ObjectProvider<AvatarTaskViews> avatar, ConsoleSettings settings,
                 Environment environment) {
        this.tokens = tokens;
        this.avatar = avatar;
        this.settings = settings;
        this.local = RunMode.isLocal(environment);
    }

    @GetMapping({"/ui", "/ui/"})
    String home(Model model) {
        TokenSummary summary = TokenSummary.of(tokens.statusCounts());
        AvatarTaskViews avatarViews = avatar.getIfAvailable();
        Map<String, Long> avatarCounts = avatarViews == null ? null : avatarViews.statusCounts();
        model.addAttribute("summary", summary);
        model.addAttribute("avatarCounts", avatarCounts);
        long avatarWorking = avatarCounts == null ? 0 : working(avatarCounts);
        model.addAttribute("avatarWorking", avatarWorking);
        model.addAttribute("avatarTotal", avatarCounts == null ? 0
                : avatarCounts.values().stream().mapToLong(Long::longValue).sum());
        model.addAttribute("grafanaUrl", settings.grafanaUrl());
        model.addAttribute("local", local);
        // for the demo mint command: the address the reader reached the service at
        model.addAttribute("baseUrl", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        boolean busy = summary.queued() > 0 || avatarWorking > 0;
        model.addAttribute("refreshMillis", busy ? BUSY_REFRESH_MILLIS : IDLE_REFRESH_MILLIS);
        return "console/home";
    }

    /** Avatar tasks waiting or being worked on. */
    private static long working(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(count -> !AvatarTaskViews.FINISHED.contains(count.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
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
