package io.glisk.console;

import io.glisk.avatar.AvatarTaskViews;
import io.glisk.ops.AdminSecurity;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page knows (who reads it, whether they may change things, whether there is an avatar section)
 * and how it refuses a request.
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    private final boolean avatarStage;

    ConsoleModel(ObjectProvider<AvatarTaskViews> avatar) {
        this.avatarStage = avatar.getIfAvailable() != null;
    }

    @ModelAttribute("user")
    String user(Principal principal) {
        return principal == null ? null : principal.getName();
    }

    /** Buttons that change something are shown to the admin only (and refused to others by AdminSecurity). */
    @ModelAttribute("admin")
    boolean admin(HttpServletRequest request) {
        return request.isUserInRole(AdminSecurity.ADMIN);
    }

    /** The avatar section is in the console only on an instance that runs the avatar stage. */
    @ModelAttribute("avatarStage")
    boolean avatarStage() {
        return avatarStage;
    }

    @ExceptionHandler(PageProblem.class)
    ModelAndView problem(PageProblem problem) {
        return errorPage(problem.status(), problem.getMessage());
    }

    /** A path or query value that is not a number where one is expected (letters, or too large for a long). */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView notANumber(MethodArgumentTypeMismatchException e) {
        return errorPage(HttpStatus.BAD_REQUEST, e.getName() + " must be a whole number");
    }

    /** The same page Spring Boot shows for other errors (templates/error.html), with our message. */
    private static ModelAndView errorPage(HttpStatus status, String message) {
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("error", status.getReasonPhrase());
        page.addObject("message", message);
        return page;
    }
}
