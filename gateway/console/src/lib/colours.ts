/**
 * Tag colours as solid fills with white text. Antd's preset light tags (green text on pale green)
 * fall below WCAG AA's 4.5:1 for small text; each of these gives white text at least 5:1.
 */
export const TAG = {
  green: "#237804",
  red: "#a8071a",
  orange: "#ad4e00",
  blue: "#0958d9",
} as const;
