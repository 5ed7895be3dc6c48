package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The photos of a grid picture that are still to store: cut and trimmed, those already stored left out. */
@Component
@ConditionalOnStage("avatar")
public class GridTiles {

    private final GridSplitter splitter;

    public GridTiles(GridSplitter splitter) {
        this.splitter = splitter;
    }

    /**
     * @param done the grid's photos already stored or failed, as rows with their {@code tile}
     */
    public List<MissingTile> missing(int grid, byte[] png, List<Map<String, Object>> done) {
        Set<Integer> skip = done.stream().map(row -> ((Number) row.get("tile")).intValue()).collect(Collectors.toSet());
        return splitter.split(png).stream().filter(tile -> !skip.contains(tile.index()))
                .map(tile -> new MissingTile(grid * 4 + tile.index(), tile.index(), tile)).toList();
    }
}
