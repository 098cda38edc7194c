import { carriesXml, xmlBodyRefusal } from '../../../local/s3/xml-guard';

describe('XML bodies the edge reads before s3rver', () => {
  it('reads the bodies of XML operations only, never an object upload', () => {
    for (const [method, url] of [
      ['POST', '/b?delete'],
      ['POST', '/b/k?uploadId=x'],
      ['PUT', '/b?cors'],
      ['PUT', '/b/k?tagging'],
    ])
      expect(carriesXml(method, url ?? '')).toBe(true);
    for (const [method, url] of [
      ['PUT', '/b/k?x-id=PutObject'],
      ['PUT', '/b/k?partNumber=1&uploadId=x'],
      ['POST', '/b/k?uploads'],
      ['GET', '/b?cors'],
      ['PUT', '/b/k'],
    ]) {
      expect(carriesXml(method, url ?? '')).toBe(false);
    }
  });

  it("refuses DOCTYPE and ENTITY declarations and prototype names, and lets S3's documents through", () => {
    for (const body of ['<!DOCTYPE x>', '<! ENTITY a "b">', '<__proto__>', '</constructor>', '<prototype/>', '<Part prototype="1">'])
      expect(xmlBodyRefusal(body)).toBeDefined();
    expect(
      xmlBodyRefusal(
        '<?xml version="1.0"?><CompleteMultipartUpload><Part><ETag>"abc"</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      ),
    ).toBeUndefined();
    expect(xmlBodyRefusal('<Delete><Object><Key>input/constructor-notes.txt</Key></Object></Delete>')).toBeUndefined();
  });
});
