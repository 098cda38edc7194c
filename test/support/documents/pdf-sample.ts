/**
 * The sample paper the PDF reader's tests typeset (pdf-paper.ts): prose written for these tests, with
 * soft hyphens (U+00AD) where long words may break at a line's end, words that always break there (¦),
 * and the ligatures "ﬁ" and "ﬂ" as TeX sets them.
 */

import type { PaperSpec } from './pdf-paper';

export const SAMPLE_TITLE = 'Monitoring Glacial Lakes with Low-Cost Sensor Networks';
export const SAMPLE_ABSTRACT =
  'Glacial lakes grow as mountain glaciers retreat, and a sudden outburst can flood valleys far downstream. ' +
  'We describe a network of low-cost pressure sensors that reports lake levels every ten minutes over long-range radio. ' +
  'In two seasons of ﬁeld work the network recorded the ﬁlling and draining of three lakes with an error below two centimetres. ' +
  'We show that such networks give warnings hours before satellite observations would.';
export const SAMPLE_KEYWORDS = ['glacial lakes', 'sensor networks', 'outburst floods'];

const s = '\u00ad';

export const SAMPLE_SECTIONS: PaperSpec['sections'] = [
  {
    heading: '1 Introduction',
    paragraphs: [
      `Mountain glaciers are retreating in most ranges of the world, and the water they leave behind col${s}lects in lakes dammed by loose moraine. ` +
        `When such a dam fails the lake empties within hours, and the ﬂood can travel tens of kilo${s}metres down the valley.^1 ` +
        `Early warning depends on knowing the water level of each lake, yet most lakes are remote and visited once a year at most.`,
      `State-of-the-art monitoring relies on satellite imagery, which sees a lake every few days and not at all under cloud. ` +
        `Ground stations are precise but expensive, and their infra${s}structure is hard to maintain at altitude. ` +
        `We ask whether a network of small, cheap sensors can ﬁll the gap between these two approaches, with a state-of-¦the-art design that is also easy to build.`,
    ],
  },
  {
    heading: '2 Related Work',
    paragraphs: [
      `Satellite studies map the area of thousands of glacial lakes from optical images, and radar missions add obser${s}vations through cloud at a coarser resolution. ` +
        `These inventories show where lakes are growing, but they cannot follow a lake through the few hours in which it drains. ` +
        `Automatic stations with radar level gauges have been installed on a handful of dangerous lakes, each at the cost of a small building.`,
      `Wireless sensor networks have watched rivers, volcanoes and snow packs, and their designers report the same difficulties we met: ` +
        `batteries that fail in the cold, radios that lose their line of sight, and housings that leak. ` +
        `Our design borrows the ideas that worked best in those deploy${s}ments and adapts them to a lake that freezes every winter.`,
    ],
  },
  {
    heading: '3 Sensor Network Design',
    paragraphs: [
      `Each node is a pressure sensor in a sealed housing anchored to the lake bed, connected by cable to a radio on the shore. ` +
        `The radio sends a short message every ten minutes to a gateway that may be ﬁfteen kilo${s}metres away, using a long-range protocol designed for low power. ` +
        `A node runs for two years on four batteries, which removes the need for solar panels that snow would cover.`,
      `The repre${s}¦sentation of a measurement is compact: a node identifier, a timestamp, a pressure reading and a temperature reading. ` +
        `Gateways forward the measure${s}ments to a server, where the pressure is converted to a water level using the air pressure measured on the shore. ` +
        `This simple repre${s}sentation keeps each message within the payload that the radio protocol allows in the slowest setting.`,
      `We chose components with a state-of-the-art energy budget, but assembled them with ordinary tools so that local technicians can repair a node in the ﬁeld. ` +
        `The cost of one node, including its housing and cable, is below two hundred euros, a fraction of the cost of a station built for the purpose.`,
    ],
  },
  {
    heading: '4 Field Deployment',
    paragraphs: [
      `We installed twelve nodes on three lakes in the summer of the ﬁrst season, and six more in the second season after two housings failed in the winter. ` +
        `Installation took one day per lake with a team of three, including the time to survey the shore with a ﬂoating echo sounder. ` +
        `The gateways were placed on ridges with a clear line of sight to the valley, where a mobile network reaches the internet.`,
      `The lakes ﬁlled during the melt season and two of them drained through the moraine in late summer, each within a single day. ` +
        `The network recorded both drainage events with no gap, while the satellite images of the same weeks were obscured by cloud on most days. ` +
        `Communi${s}cation losses stayed below one message in a hundred, mostly during storms that iced the antennas.`,
    ],
  },
  {
    heading: '5 Results',
    paragraphs: [
      `Over both seasons the nodes delivered ninety-eight percent of their scheduled messages, and the gaps were short enough to interpolate. ` +
        `Levels measured by the nodes agreed with manual readings of a staff gauge within two centi${s}metres, which is the precision the flood models need. ` +
        `The two drainage events were visible in the data six and nine hours before the outflow reached the first village.`,
      `Satellite images of the same lakes gave a level only on clear days, and in one case the first useful image came two days after the lake had drained. ` +
        `The comparison shows that the two sources complement each other: satellites survey many lakes, and the network follows a few of them closely. ` +
        `A warning service could use the satellite inventory to choose the lakes that deserve a network.`,
      `Housings were the weakest part of the system. Two of them cracked when the lake froze around them, and one cable was cut by moving ice. ` +
        `In the second season we lowered the nodes below the depth that freezes and protected the cables with steel tubes, and no node failed.`,
    ],
  },
  {
    heading: '6 Conclusions',
    paragraphs: [
      `Sensor networks built from low-¦cost parts can watch glacial lakes continuously and give warnings that satellites cannot. ` +
        `The main limits are the winter, which damages housings, and the need for a gateway with a line of sight. ` +
        `Future work will test sensors frozen into the lake ice and gateways that relay messages to each other.`,
    ],
  },
];

export const SAMPLE_FOOTNOTE = '1 Valleys in the Himalaya have seen floods reach sixty kilometres downstream.';
export const SAMPLE_CAPTION = 'Figure 1: Water level of the upper lake during the second season, measured every ten minutes.';
export const SAMPLE_RUNNING_HEADER = 'Glacial lake monitoring preprint';
export const SAMPLE_ACKNOWLEDGEMENTS = 'We thank the mountain guides of the valley association who carried the equipment to the lakes.';
export const SAMPLE_REFERENCES = [
  '[1] A. Rivera and M. Okafor. Outburst floods from moraine-dammed lakes. Journal of Mountain Hazards, 12(3):201-219, 2019.',
  '[2] L. Chen, P. Gallo and S. Haddad. Satellite monitoring of glacial lake areas. Remote Sensing of Ice, 8:44-61, 2021.',
  '[3] K. Novak. Long-range radio for environmental sensing. Proceedings of the Workshop on Field Networks, pages 12-19, 2020.',
];

/** The sample paper in one or two columns, with every part a real paper has. */
export const samplePaper = (overrides: Partial<PaperSpec> = {}): PaperSpec => ({
  title: SAMPLE_TITLE,
  authors: 'Ana Rivera, Tomas Berg and Mei Lin',
  abstract: SAMPLE_ABSTRACT,
  keywords: SAMPLE_KEYWORDS,
  sections: SAMPLE_SECTIONS,
  acknowledgements: SAMPLE_ACKNOWLEDGEMENTS,
  references: SAMPLE_REFERENCES,
  columns: 2,
  runningHeader: SAMPLE_RUNNING_HEADER,
  pageNumbers: true,
  footnote: SAMPLE_FOOTNOTE,
  figureCaption: SAMPLE_CAPTION,
  metadata: { creationDate: new Date('2024-03-05T10:00:00Z') },
  ...overrides,
});

/** A paragraph of the spec as the reader should give it: break marks and footnote markers gone, ligatures spelled out. */
export const asRead = (paragraph: string): string =>
  paragraph
    .replace(/[\u00ad¦]/g, '')
    .replace(/\^\d+/g, '')
    .replace(/\ufb01/g, 'fi')
    .replace(/\ufb02/g, 'fl');
