#include "categorypalette.h"

#include <QCoreApplication>

// Colour-blind-safe hues (Okabe-Ito) that read on both light and dark palettes.
QColor CategoryPalette::color(Category category)
{
    switch (category) {
    case Category::Technical:
        return QColor(0x00, 0x72, 0xB2);
    case Category::Billing:
        return QColor(0xE6, 0x9F, 0x00);
    case Category::General:
        return QColor(0x00, 0x9E, 0x73);
    }
    return unclassifiedColor();
}

QColor CategoryPalette::unclassifiedColor()
{
    return QColor(0x99, 0x99, 0x99);
}

QString CategoryPalette::displayName(Category category)
{
    switch (category) {
    case Category::Technical:
        return QCoreApplication::translate("CategoryPalette", "Technical");
    case Category::Billing:
        return QCoreApplication::translate("CategoryPalette", "Billing");
    case Category::General:
        return QCoreApplication::translate("CategoryPalette", "General");
    }
    return {};
}
