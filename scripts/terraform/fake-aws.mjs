// A tiny loopback fake of the AWS calls `terraform plan` makes for the fixtures: STS
// GetCallerIdentity, SSM GetParameter and EC2 DescribeImages (+ GetInstanceUefiData, which data "aws_ami" asks). node:http on 127.0.0.1 only; selected
// with AWS_ENDPOINT_URL. Answers are deterministic (ids derive from the request), so regenerated
// plans differ only where Terraform itself changes them. Anything else gets an error the generator reports.
import { createHash } from "node:crypto";
import { createServer } from "node:http";

export const ACCOUNT_ID = "123456789012";

const hex = (text, n) => createHash("sha256").update(text).digest("hex").slice(0, n);

function xml(res, body) {
  res.writeHead(200, { "content-type": "text/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function escapeXml(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);
}

function getCallerIdentity(res) {
  xml(
    res,
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${ACCOUNT_ID}:user/fixture</Arn>
    <UserId>AIDAFIXTUREUSER00000</UserId>
    <Account>${ACCOUNT_ID}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`,
  );
}

/** The image a name filter finds: the pattern with its wildcards filled in. */
function describeImages(res, params) {
  const filters = new Map();
  for (const [key, value] of params) {
    const m = /^Filter\.(\d+)\.Name$/.exec(key);
    if (m) filters.set(value, params.get(`Filter.${m[1]}.Value.1`) ?? "");
  }
  const pattern = filters.get("name") ?? "fixture-image-*";
  const name = pattern.replace(/\*/g, "20250101").replace(/\?/g, "0");
  const owner = params.get("Owner.1") ?? "137112412989";
  const id = `ami-${hex(name, 17)}`;
  xml(
    res,
    `<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>00000000-0000-0000-0000-000000000000</requestId>
  <imagesSet>
    <item>
      <imageId>${id}</imageId>
      <imageLocation>${escapeXml(owner)}/${escapeXml(name)}</imageLocation>
      <imageState>available</imageState>
      <imageOwnerId>${escapeXml(owner)}</imageOwnerId>
      <creationDate>2025-01-01T00:00:00.000Z</creationDate>
      <isPublic>true</isPublic>
      <architecture>x86_64</architecture>
      <imageType>machine</imageType>
      <name>${escapeXml(name)}</name>
      <description>${escapeXml(name)}</description>
      <rootDeviceType>ebs</rootDeviceType>
      <rootDeviceName>/dev/xvda</rootDeviceName>
      <virtualizationType>hvm</virtualizationType>
      <hypervisor>xen</hypervisor>
      <enaSupport>true</enaSupport>
      <platformDetails>Linux/UNIX</platformDetails>
      <usageOperation>RunInstances</usageOperation>
      <blockDeviceMapping>
        <item>
          <deviceName>/dev/xvda</deviceName>
          <ebs><snapshotId>snap-${hex(name, 17)}</snapshotId><volumeSize>8</volumeSize><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType><encrypted>false</encrypted></ebs>
        </item>
      </blockDeviceMapping>
    </item>
  </imagesSet>
</DescribeImagesResponse>`,
  );
}

function getParameter(res, body, region) {
  const name = JSON.parse(body || "{}").Name ?? "";
  const value = `ami-${hex(name, 17)}`;
  res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
  res.end(
    JSON.stringify({
      Parameter: {
        ARN: `arn:aws:ssm:${region}::parameter${name.startsWith("/") ? "" : "/"}${name}`,
        DataType: "aws:ec2:image",
        LastModifiedDate: 1735689600,
        Name: name,
        Type: "String",
        Value: value,
        Version: 1,
      },
    }),
  );
}

/** Starts the fake; resolves to { url, close(), unexpected } (requests it could not answer). */
export function startFakeAws() {
  const unexpected = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (process.env.FAKE_AWS_DEBUG)
        process.stderr.write(`fake-aws: ${req.method} ${req.url} ${req.headers["x-amz-target"] ?? ""} ${body.slice(0, 200)}\n`);
      const target = req.headers["x-amz-target"];
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "us-east-1";
      if (target === "AmazonSSM.GetParameter") return getParameter(res, body, region);
      const params = new URLSearchParams(body);
      const action = params.get("Action");
      if (action === "GetCallerIdentity") return getCallerIdentity(res);
      if (action === "DescribeImages") return describeImages(res, params);
      // data "aws_ami" also asks for the image's UEFI variables: it has none.
      if (action === "GetInstanceUefiData")
        return xml(
          res,
          `<GetInstanceUefiDataResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>0</requestId><instanceId>${escapeXml(params.get("InstanceId") ?? "")}</instanceId><uefiData></uefiData></GetInstanceUefiDataResponse>`,
        );
      unexpected.push(target ?? action ?? `${req.method} ${req.url}`);
      res.writeHead(400, { "content-type": "text/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>UnsupportedOperation</Code><Message>the fixture fake does not answer ${escapeXml(target ?? action ?? req.url)}</Message></Error><RequestId>0</RequestId></ErrorResponse>`,
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, unexpected, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
