// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

/** The spreadsheet model of the dashboard shown (found in the component tree). */
function dashboardModel() {
    let model = null;
    const walk = (node) => {
        if (!node || model) {
            return;
        }
        const props = node.component && node.component.props;
        if (props && props.model && props.model.getters && props.model.getters.getPivotIds) {
            model = props.model;
            return;
        }
        for (const child of Object.values(node.children || {})) {
            walk(child);
        }
    };
    walk(odoo.__WOWL_DEBUG__.root.__owl__);
    return model;
}

/** Check the dashboard shown: real figures (pivots) or the sample, and no error cell. */
async function checkCells(sample) {
    const model = dashboardModel();
    if (!model) {
        throw new Error("no spreadsheet model on the page");
    }
    const pivots = model.getters.getPivotIds().length;
    if (sample ? pivots : !pivots) {
        throw new Error(sample ? "the user's figures are shown" : "the sample is shown");
    }
    const { waitForDataLoaded } = odoo.loader.modules.get("@spreadsheet/helpers/model");
    await waitForDataLoaded(model);
    const { toXC } = odoo.loader.modules.get("@odoo/o-spreadsheet").helpers;
    const errors = [];
    for (const sheetId of model.getters.getSheetIds()) {
        const name = model.getters.getSheetName(sheetId);
        for (const position of model.getters.getEvaluatedCellsPositions(sheetId)) {
            const cell = model.getters.getEvaluatedCell(position);
            if (cell.type === "error") {
                const where = `${name}!${toXC(position.col, position.row)}`;
                errors.push(`${where}: ${cell.value} ${cell.message || ""}`);
            }
        }
    }
    if (errors.length) {
        throw new Error(`cells in error: ${errors.join("; ")}`);
    }
}

function steps(sample) {
    return [
        {
            content: "Open the Sales Policy dashboard",
            trigger: ".o_search_panel_category_value:contains(Sales Policy)",
            run: "click",
        },
        {
            content: "Its scorecards are drawn",
            trigger: ".o-spreadsheet .o-scorecard",
        },
        {
            content: sample
                ? "The sample is shown and no cell is an error"
                : "Its figures come from the addon's models and no cell is an error",
            trigger: ".o-spreadsheet .o-grid",
            run: () => checkCells(sample),
        },
    ];
}

registry.category("web_tour.tours").add("spreadsheet_dashboard_sales_dept_policy_tour", {
    url: "/odoo/dashboards",
    steps: () => steps(false),
});

registry.category("web_tour.tours").add("spreadsheet_dashboard_sales_dept_policy_sample_tour", {
    url: "/odoo/dashboards",
    steps: () => steps(true),
});
