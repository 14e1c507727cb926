/// Cartography: SVG maps and charts from analysis results. It knows nothing of GEOS: it draws
/// plain shapes (`Shape`) in projected metres.
import SpaceGeometry
