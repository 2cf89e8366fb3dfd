<#
.SYNOPSIS
    The bridge's PowerShell side: reads requests from standard input and writes one result per request.
.DESCRIPTION
    Protocol (one line per message, UTF-8, no terminal rendering):
      in : base64(UTF-8 JSON). The first line is {sentinel, modules, depth}; each later line is
           {id, command, parameters, errorAction}.
      out: "<sentinel>:BEGIN", one line of compressed JSON {id, ok, output, errors, warnings, information,
           progress, verbose, debug, durationMs}, "<sentinel>:END". Anything else on standard output is not
           part of the protocol and is ignored by the reader.
    Values never become script text: the command is looked up with Get-Command and run with
    PowerShell.AddCommand/AddParameter in a runspace of its own, so its streams (including progress) are
    captured. Works under Windows PowerShell 5.1 and PowerShell 7.
#>
[CmdletBinding()]
param(
    # The process is started through node-powershell, which always ends the command line with
    # "-NoExit -Command -". After "-File dispatcher.ps1" those are arguments of this script: they are
    # collected here, reported in the init answer, and otherwise ignored (standard input stays data).
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $IgnoredArguments
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Off
$script:utf8 = New-Object System.Text.UTF8Encoding $false
try {
    [Console]::OutputEncoding = $script:utf8
    [Console]::InputEncoding = $script:utf8
} catch {
    $null = $_
}
$OutputEncoding = $script:utf8
# PowerShell 7.2+ renders with ANSI colours unless told otherwise; Windows PowerShell has no such setting.
$style = Get-Variable -Name PSStyle -ValueOnly -ErrorAction SilentlyContinue
if ($null -ne $style) {
    $style.OutputRendering = 'PlainText'
}
$script:reader = New-Object System.IO.StreamReader -ArgumentList @([Console]::OpenStandardInput(), $script:utf8, $false, 65536)
$script:writer = New-Object System.IO.StreamWriter -ArgumentList @([Console]::OpenStandardOutput(), $script:utf8, 65536)
$script:writer.AutoFlush = $false
$script:writer.NewLine = "`n"
$script:fromJsonHasDateKind = (Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')
$script:invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:commands = @{}
$script:depth = 8
# At most this many values are serialised per call; beyond it objects become strings (a live .NET object
# graph can be practically endless).
$script:maxValues = 20000
$script:budget = 0
$script:scalarKinds = @{}
foreach ($rawType in @([bool], [int], [long], [double], [decimal], [byte], [int16], [uint16], [uint32], [uint64], [single], [sbyte], [System.Numerics.BigInteger])) {
    $script:scalarKinds[$rawType] = 'raw'
}
foreach ($textType in @([string], [char], [guid], [uri], [version], [System.Management.Automation.ScriptBlock])) {
    $script:scalarKinds[$textType] = 'text'
}
$script:scalarKinds[[datetime]] = 'date'
$script:scalarKinds[[System.DateTimeOffset]] = 'offset'
$script:scalarKinds[[timespan]] = 'span'
$script:scalarKinds[[System.Security.SecureString]] = 'secret'
$script:valueMembers = [System.Management.Automation.PSMemberTypes]'NoteProperty,Property,ScriptProperty,AliasProperty,CodeProperty'

function Read-BridgeMessage {
    param([string] $Line)
    $json = $script:utf8.GetString([Convert]::FromBase64String($Line))
    # PowerShell 7 turns ISO 8601 strings into dates unless -DateKind String (7.5+); 5.1 leaves them alone.
    $options = @{ InputObject = $json }
    if ($script:fromJsonHasDateKind) {
        $options['DateKind'] = 'String'
    }
    $parsed = ConvertFrom-Json @options
    ConvertTo-BridgeArgument -Value $parsed
}

function ConvertTo-BridgeArgument {
    # JSON values -> PowerShell values: objects become hashtables, arrays stay arrays (also of one item).
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $table = @{}
        foreach ($property in $Value.PSObject.Properties) {
            $table[$property.Name] = ConvertTo-BridgeArgument -Value $property.Value
        }
        return $table
    }
    if ($Value -is [array]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) {
            $items.Add((ConvertTo-BridgeArgument -Value $item))
        }
        return , $items.ToArray()
    }
    return $Value
}

function ConvertTo-BridgeSecureString {
    param([string] $Text)
    $secure = New-Object System.Security.SecureString
    if ($null -ne $Text) {
        foreach ($character in $Text.ToCharArray()) {
            $secure.AppendChar($character)
        }
    }
    $secure.MakeReadOnly()
    , $secure
}

function ConvertTo-BridgeParameter {
    # Shapes a JSON value for the type the command declares: switches, credentials, secure strings.
    param($Value, [type] $Type)
    if ($null -eq $Type -or $null -eq $Value) {
        return , $Value
    }
    if ($Type -eq [System.Management.Automation.SwitchParameter]) {
        return , ([System.Management.Automation.SwitchParameter][bool]$Value)
    }
    if ($Type -eq [System.Security.SecureString] -and $Value -is [string]) {
        return , (ConvertTo-BridgeSecureString -Text $Value)
    }
    if ($Type -eq [System.Management.Automation.PSCredential] -and $Value -is [hashtable]) {
        $user = $Value['UserName']
        $password = ConvertTo-BridgeSecureString -Text ([string]$Value['Password'])
        return , (New-Object System.Management.Automation.PSCredential -ArgumentList @([string]$user, $password))
    }
    return , $Value
}

function ConvertTo-BridgeDate {
    param([datetime] $Date)
    if ($Date.Kind -eq [System.DateTimeKind]::Unspecified) {
        $Date = [datetime]::SpecifyKind($Date, [System.DateTimeKind]::Local)
    }
    $Date.ToString('o', $script:invariant)
}

function ConvertTo-BridgeValue {
    # PowerShell values -> JSON-ready values: ISO 8601 dates, enums as names, no secrets.
    param($Value, [int] $Depth)
    if ($null -eq $Value) {
        return $null
    }
    $script:budget--
    $base = $Value
    if ($Value -is [System.Management.Automation.PSObject]) {
        $base = $Value.PSObject.BaseObject
    }
    # One lookup by type instead of a chain of -is tests (the chain dominated the cost of large outputs).
    $type = $base.GetType()
    $kind = $script:scalarKinds[$type]
    if ($null -ne $kind) {
        switch ($kind) {
            'raw' { return $base }
            'text' { return [string]$base }
            'date' { return ConvertTo-BridgeDate -Date $base }
            'offset' { return $base.ToString('o', $script:invariant) }
            'span' { return $base.ToString('c', $script:invariant) }
            'secret' { return $null }
        }
    }
    if ($type.IsEnum) { return $base.ToString() }
    if ($base -is [System.Management.Automation.PSCredential]) {
        return [ordered]@{ UserName = $base.UserName }
    }
    if ($Depth -le 0 -or $script:budget -le 0) { return [string]$base }
    if ($base -is [System.Collections.IDictionary]) {
        $map = [ordered]@{}
        foreach ($key in $base.Keys) {
            $map[[string]$key] = ConvertTo-BridgeValue -Value $base[$key] -Depth ($Depth - 1)
        }
        return $map
    }
    if ($base -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $base) {
            if ($item -is [string]) {
                $script:budget--
                $items.Add([string]$item)
            } else {
                $items.Add((ConvertTo-BridgeValue -Value $item -Depth ($Depth - 1)))
            }
        }
        return , $items.ToArray()
    }
    $map = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        if (-not ($property.MemberType -band $script:valueMembers)) {
            continue
        }
        try {
            $propertyValue = $property.Value
        } catch {
            $propertyValue = $null
        }
        # Inline fast path for the common scalars: a function call per value is the dominant cost.
        if ($null -eq $propertyValue -or $propertyValue -is [string] -or $propertyValue -is [bool] -or $propertyValue -is [int] -or $propertyValue -is [long]) {
            $script:budget--
            $map[$property.Name] = $propertyValue
        } else {
            $map[$property.Name] = ConvertTo-BridgeValue -Value $propertyValue -Depth ($Depth - 1)
        }
    }
    $map
}

function ConvertTo-BridgeError {
    param([System.Management.Automation.ErrorRecord] $Record, [System.Exception] $Owner)
    $exception = $Record.Exception
    if ($null -ne $Owner) {
        $wrapped = $exception -is [System.Management.Automation.ParentContainsErrorRecordException]
        $plain = $Owner -isnot [System.Management.Automation.IContainsErrorRecord]
        if ($wrapped -or $plain) {
            $exception = $Owner
        }
    }
    $position = $null
    $scriptName = $null
    $line = $null
    $column = $null
    if ($null -ne $Record.InvocationInfo) {
        $position = $Record.InvocationInfo.PositionMessage
        $scriptName = $Record.InvocationInfo.ScriptName
        $line = $Record.InvocationInfo.ScriptLineNumber
        $column = $Record.InvocationInfo.OffsetInLine
    }
    $details = $null
    if ($null -ne $Record.ErrorDetails) {
        $details = $Record.ErrorDetails.Message
    }
    $innermost = $exception
    while ($null -ne $innermost.InnerException) {
        $innermost = $innermost.InnerException
    }
    [ordered]@{
        type                  = $exception.GetType().FullName
        innerType             = $innermost.GetType().FullName
        message               = $exception.Message
        details               = $details
        fullyQualifiedErrorId = $Record.FullyQualifiedErrorId
        category              = $Record.CategoryInfo.Category.ToString()
        targetName            = [string]$Record.CategoryInfo.TargetName
        scriptPosition        = $position
        scriptName            = $scriptName
        line                  = $line
        column                = $column
        scriptStackTrace      = $Record.ScriptStackTrace
    }
}

function ConvertFrom-BridgeCaught {
    # The error that stopped the call, as `$_` would hold it in a catch block around the command: the
    # MethodInvocationException of PowerShell.Invoke() is unwrapped, then the exception's own ErrorRecord.
    param([System.Management.Automation.ErrorRecord] $Caught)
    $exception = $Caught.Exception
    if ($exception -is [System.Management.Automation.MethodInvocationException] -and $null -ne $exception.InnerException) {
        $exception = $exception.InnerException
    }
    if ($exception -is [System.Management.Automation.IContainsErrorRecord] -and $null -ne $exception.ErrorRecord) {
        return ConvertTo-BridgeError -Record $exception.ErrorRecord -Owner $exception
    }
    ConvertTo-BridgeError -Record $Caught -Owner $exception
}

function New-BridgeResult {
    param($Id)
    [ordered]@{
        id          = $Id
        ok          = $true
        output      = @()
        errors      = @()
        warnings    = @()
        information = @()
        progress    = @()
        verbose     = @()
        debug       = @()
        durationMs  = 0
    }
}

function Write-BridgeResult {
    param($Result)
    $json = ConvertTo-Json -InputObject $Result -Depth 100 -Compress
    $script:writer.Write($script:sentinel + ":BEGIN`n" + $json + "`n" + $script:sentinel + ":END`n")
    $script:writer.Flush()
}

function Invoke-BridgeInRunspace {
    param([string] $Command, [hashtable] $Parameters)
    $shell = [powershell]::Create()
    $shell.Runspace = $script:runspace
    try {
        [void]$shell.AddCommand($Command)
        foreach ($key in $Parameters.Keys) {
            [void]$shell.AddParameter($key, $Parameters[$key])
        }
        , $shell.Invoke()
    } finally {
        $shell.Dispose()
    }
}

function Initialize-Bridge {
    param([hashtable] $Init)
    $script:sentinel = [string]$Init['sentinel']
    if ($Init['depth']) {
        $script:depth = [int]$Init['depth']
    }
    $result = New-BridgeResult -Id 'init'
    $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $script:runspace = [runspacefactory]::CreateRunspace($state)
    # The dispatcher is single-threaded; running the runspace on this thread avoids a thread hand-off per
    # call (about 20 ms on a busy machine, against under 2 ms).
    $script:runspace.ThreadOptions = [System.Management.Automation.Runspaces.PSThreadOptions]::UseCurrentThread
    $script:runspace.Open()
    $prepare = '$style = Get-Variable -Name PSStyle -ValueOnly -ErrorAction SilentlyContinue; if ($null -ne $style) { $style.OutputRendering = ''PlainText'' }; $ProgressPreference = ''Continue'''
    $shell = [powershell]::Create()
    $shell.Runspace = $script:runspace
    [void]$shell.AddScript($prepare)
    [void]$shell.Invoke()
    $shell.Dispose()
    try {
        foreach ($module in @($Init['modules'])) {
            if ($module) {
                [void](Invoke-BridgeInRunspace -Command 'Import-Module' -Parameters @{ Name = [string]$module; ErrorAction = 'Stop' })
            }
        }
    } catch {
        $result.ok = $false
        $result.errors = @(ConvertFrom-BridgeCaught -Caught $_)
    }
    $result.output = @([ordered]@{
            processId = $PID
            version   = $PSVersionTable.PSVersion.ToString()
            edition   = [string]$PSVersionTable.PSEdition
            ignoredArguments = @($IgnoredArguments | Where-Object { $null -ne $_ })
        })
    $result
}

function Resolve-BridgeCommand {
    param([string] $Name)
    $info = $script:commands[$Name]
    if ($null -eq $info) {
        $found = Invoke-BridgeInRunspace -Command 'Get-Command' -Parameters @{ Name = $Name; ErrorAction = 'Stop' }
        if ($found.Count -ne 1) {
            throw "The command name '$Name' matches $($found.Count) commands; name exactly one."
        }
        $info = $found[0]
        $script:commands[$Name] = $info
    }
    $info
}

$script:progressSource = @'
using System;
using System.IO;
using System.Management.Automation;
using System.Text;

/// <summary>Writes each progress record of a running call to standard output at once, as one line.</summary>
public sealed class VmmBridgeProgressForwarder
{
    private readonly TextWriter writer;
    private readonly string prefix;

    public VmmBridgeProgressForwarder(TextWriter writer, string prefix)
    {
        this.writer = writer;
        this.prefix = prefix;
    }

    public void Attach(PSDataCollection<ProgressRecord> records)
    {
        records.DataAdded += this.OnAdded;
    }

    private void OnAdded(object sender, DataAddedEventArgs e)
    {
        PSDataCollection<ProgressRecord> records = (PSDataCollection<ProgressRecord>)sender;
        ProgressRecord r = records[e.Index];
        StringBuilder b = new StringBuilder(this.prefix);
        b.Append("{\"activityId\":").Append(r.ActivityId);
        b.Append(",\"parentActivityId\":").Append(r.ParentActivityId);
        b.Append(",\"activity\":"); Quote(b, r.Activity);
        b.Append(",\"statusDescription\":"); Quote(b, r.StatusDescription);
        b.Append(",\"currentOperation\":"); Quote(b, r.CurrentOperation);
        b.Append(",\"percentComplete\":").Append(r.PercentComplete);
        b.Append(",\"secondsRemaining\":").Append(r.SecondsRemaining);
        b.Append(",\"recordType\":"); Quote(b, r.RecordType.ToString());
        b.Append('}');
        lock (this.writer)
        {
            this.writer.Write(b.ToString());
            this.writer.Write('\n');
            this.writer.Flush();
        }
    }

    private static void Quote(StringBuilder b, string text)
    {
        if (text == null) { b.Append("null"); return; }
        b.Append('"');
        foreach (char c in text)
        {
            if (c == '"' || c == '\\') { b.Append('\\').Append(c); }
            else if (c < ' ') { b.Append("\\u").Append(((int)c).ToString("x4")); }
            else { b.Append(c); }
        }
        b.Append('"');
    }
}
'@

function Enable-BridgeLiveProgress {
    # Forwards progress while the call runs: "<sentinel>:PROGRESS <id> <json>" lines (compiled once, on first use).
    param($Shell, [string] $Id)
    if ($null -eq ('VmmBridgeProgressForwarder' -as [type])) {
        Add-Type -TypeDefinition $script:progressSource -Language CSharp
    }
    $forwarder = New-Object VmmBridgeProgressForwarder -ArgumentList @($script:writer, ($script:sentinel + ':PROGRESS ' + $Id + ' '))
    $forwarder.Attach($Shell.Streams.Progress)
}

function Invoke-BridgeRequest {
    param([hashtable] $Request)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $result = New-BridgeResult -Id $Request['id']
    $shell = $null
    $output = [System.Collections.ObjectModel.Collection[psobject]]::new()
    try {
        $commandName = [string]$Request['command']
        $info = Resolve-BridgeCommand -Name $commandName
        $shell = [powershell]::Create()
        $shell.Runspace = $script:runspace
        # By name, not by CommandInfo: a FunctionInfo added directly runs outside its module's scope.
        [void]$shell.AddCommand($commandName)
        $parameters = $Request['parameters']
        if ($parameters -is [hashtable]) {
            foreach ($name in $parameters.Keys) {
                $type = $null
                $metadata = $null
                if ($info.Parameters) {
                    $metadata = $info.Parameters[$name]
                }
                if ($null -ne $metadata) {
                    $type = $metadata.ParameterType
                }
                $value = ConvertTo-BridgeParameter -Value $parameters[$name] -Type $type
                [void]$shell.AddParameter([string]$name, $value)
            }
        }
        $errorAction = 'Stop'
        if ($Request['errorAction']) {
            $errorAction = [string]$Request['errorAction']
        }
        [void]$shell.AddParameter('ErrorAction', $errorAction)
        if ($Request['verbose']) {
            [void]$shell.AddParameter('Verbose', $true)
        }
        if ($Request['liveProgress']) {
            Enable-BridgeLiveProgress -Shell $shell -Id ([string]$Request['id'])
        }
        $collected = [System.Management.Automation.PSDataCollection[psobject]]::new()
        try {
            $shell.Invoke($null, $collected)
        } finally {
            foreach ($item in $collected) {
                $output.Add($item)
            }
        }
    } catch {
        $result.ok = $false
        $result.errors = @(ConvertFrom-BridgeCaught -Caught $_)
    }
    $items = [System.Collections.Generic.List[object]]::new()
    $script:budget = $script:maxValues
    foreach ($item in $output) {
        $items.Add((ConvertTo-BridgeValue -Value $item -Depth $script:depth))
    }
    $result.output = $items.ToArray()
    if ($null -ne $shell) {
        $streams = $shell.Streams
        if ($streams.Error.Count -gt 0) {
            $errors = [System.Collections.Generic.List[object]]::new()
            foreach ($record in $streams.Error) {
                $errors.Add((ConvertTo-BridgeError -Record $record))
            }
            foreach ($record in $result.errors) {
                $errors.Add($record)
            }
            $result.errors = $errors.ToArray()
        }
        if ($streams.Warning.Count -gt 0) {
            $result.warnings = @(foreach ($record in $streams.Warning) { $record.Message })
        }
        if ($streams.Verbose.Count -gt 0) {
            $result.verbose = @(foreach ($record in $streams.Verbose) { $record.Message })
        }
        if ($streams.Debug.Count -gt 0) {
            $result.debug = @(foreach ($record in $streams.Debug) { $record.Message })
        }
        if ($streams.Information.Count -gt 0) {
            $result.information = @(foreach ($record in $streams.Information) {
                    [ordered]@{
                        message       = [string]$record.MessageData
                        tags          = @($record.Tags)
                        source        = $record.Source
                        timeGenerated = ConvertTo-BridgeDate -Date $record.TimeGenerated
                    }
                })
        }
        if ($streams.Progress.Count -gt 0) {
            $result.progress = @(foreach ($record in $streams.Progress) {
                    [ordered]@{
                        activityId        = $record.ActivityId
                        parentActivityId  = $record.ParentActivityId
                        activity          = $record.Activity
                        statusDescription = $record.StatusDescription
                        currentOperation  = $record.CurrentOperation
                        percentComplete   = $record.PercentComplete
                        secondsRemaining  = $record.SecondsRemaining
                        recordType        = $record.RecordType.ToString()
                    }
                })
        }
        $shell.Dispose()
    }
    $result.durationMs = [math]::Round($watch.Elapsed.TotalMilliseconds, 3)
    $result
}

$first = $script:reader.ReadLine()
if ($null -eq $first) {
    exit 0
}
Write-BridgeResult -Result (Initialize-Bridge -Init (Read-BridgeMessage -Line $first))

while ($true) {
    $line = $script:reader.ReadLine()
    if ($null -eq $line) {
        break
    }
    if ($line.Length -eq 0) {
        continue
    }
    $id = $null
    try {
        $request = Read-BridgeMessage -Line $line
        $id = $request['id']
        $result = Invoke-BridgeRequest -Request $request
    } catch {
        $result = New-BridgeResult -Id $id
        $result.ok = $false
        $result.errors = @(ConvertFrom-BridgeCaught -Caught $_)
    }
    try {
        Write-BridgeResult -Result $result
    } catch {
        $fallback = New-BridgeResult -Id $id
        $fallback.ok = $false
        $fallback.errors = @(ConvertFrom-BridgeCaught -Caught $_)
        Write-BridgeResult -Result $fallback
    }
}
$script:runspace.Dispose()
exit 0
