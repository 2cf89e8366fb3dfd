<#
.SYNOPSIS
    Starts, drives and stops the TDS double (test/support/tds-server) for Pester tests that talk to SQL Server
    through System.Data.SqlClient.
.DESCRIPTION
    Start-TdsDouble writes the rules to a temporary JSON file and starts the double's CLI with node and tsx from
    the repository root (found from this file's folder, whatever Pester's working directory). The password
    reaches the CLI through an environment variable of the child process only, never a file or its command line.
    Works under Windows PowerShell 5.1 and PowerShell 7.
#>
Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
$script:CliPath = Join-Path $script:RepoRoot 'test/support/tds-server/cli.ts'
$script:PasswordVariable = 'TDS_DOUBLE_PASSWORD'

function ConvertTo-TdsDoubleJsonValue {
    # Turns .NET values into the JSON forms the double reads (the same under 5.1 and 7, whose ConvertTo-Json
    # differ for dates): dates as ISO text without zone, GUIDs as text, byte arrays as 0x-hex.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime]) { return $Value.ToString('yyyy-MM-ddTHH:mm:ss.fffffff', [Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [datetimeoffset]) { return $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffffff', [Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [guid]) { return $Value.ToString() }
    if ($Value -is [byte[]]) { return '0x' + [BitConverter]::ToString($Value).Replace('-', '') }
    if ($Value -is [regex]) { return $Value.ToString() }
    if ($Value -is [System.Collections.IDictionary]) {
        $copy = [ordered]@{}
        foreach ($key in $Value.Keys) { $copy[[string]$key] = ConvertTo-TdsDoubleJsonValue $Value[$key] }
        return $copy
    }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) {
        $items = New-Object System.Collections.ArrayList
        foreach ($item in $Value) { [void]$items.Add((ConvertTo-TdsDoubleJsonValue $item)) }
        return , $items.ToArray()
    }
    return $Value
}

function Write-TdsDoubleRuleFile {
    param([string] $Path, [hashtable[]] $Rules)
    $converted = New-Object System.Collections.ArrayList
    foreach ($rule in @($Rules)) { [void]$converted.Add((ConvertTo-TdsDoubleJsonValue $rule)) }
    $json = ConvertTo-Json -InputObject $converted.ToArray() -Depth 20
    $temp = "$Path.tmp"
    [IO.File]::WriteAllText($temp, $json, (New-Object System.Text.UTF8Encoding $false))
    Move-Item -LiteralPath $temp -Destination $Path -Force
}

function New-TdsDoublePassword {
    $bytes = New-Object byte[] 18
    $rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $rng.GetBytes($bytes) } finally { $rng.Dispose() }
    return 'Td1!' + [Convert]::ToBase64String($bytes)
}

function Read-TdsDoubleLine {
    param([System.Diagnostics.Process] $Process, [int] $TimeoutMilliseconds, [string] $What)
    $task = $Process.StandardOutput.ReadLineAsync()
    if (-not $task.Wait($TimeoutMilliseconds)) {
        throw "TDS double: no answer within $TimeoutMilliseconds ms while $What"
    }
    return $task.Result
}

function Start-TdsDouble {
    <#
    .SYNOPSIS
        Starts the TDS double on 127.0.0.1 and a free port with the given rules.
    .PARAMETER Rules
        Rules as hashtables: match (regular expression text), resultSets, messages, error, rowsAffected,
        delayMs, dropConnection, times; see test/support/tds-server/README.md.
    .PARAMETER User
        The SQL login the double accepts (default sa).
    .PARAMETER Password
        Its password; a random one when not given. Read it back from the ConnectionString property.
    .OUTPUTS
        An object with Port, ConnectionString, LogPath, RulesPath, StartMilliseconds and the node Process.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [AllowEmptyCollection()] [hashtable[]] $Rules,
        [string] $User = 'sa',
        [string] $Password,
        [int] $Port = 0,
        [int] $StartTimeoutSeconds = 60
    )
    if (-not $Password) { $Password = New-TdsDoublePassword }
    $node = Get-Command -Name node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $node) { throw 'TDS double: node is not on PATH' }
    if (-not (Test-Path -LiteralPath $script:CliPath)) { throw "TDS double: $($script:CliPath) not found" }

    $directory = Join-Path ([IO.Path]::GetTempPath()) ('tds-double-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $directory | Out-Null
    $rulesPath = Join-Path $directory 'rules.json'
    $logPath = Join-Path $directory 'log.jsonl'
    Write-TdsDoubleRuleFile -Path $rulesPath -Rules $Rules

    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $node.Source
    $quote = { param($s) '"' + ($s -replace '"', '\"') + '"' }
    $startInfo.Arguments = '--import tsx ' + (& $quote $script:CliPath) + ' --rules ' + (& $quote $rulesPath) +
        ' --log ' + (& $quote $logPath) + ' --port ' + $Port + ' --user ' + (& $quote $User) +
        ' --password-env ' + $script:PasswordVariable
    $startInfo.WorkingDirectory = $script:RepoRoot
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.EnvironmentVariables[$script:PasswordVariable] = $Password

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        $line = Read-TdsDoubleLine -Process $process -TimeoutMilliseconds ($StartTimeoutSeconds * 1000) -What 'starting'
        if (-not $line) {
            $process.WaitForExit(5000) | Out-Null
            throw "TDS double: the server exited before listening (exit code $($process.ExitCode); its message is on stderr; has npm ci installed tsx?)"
        }
        $listening = $line | ConvertFrom-Json
    } catch {
        if (-not $process.HasExited) { $process.Kill() }
        Remove-Item -LiteralPath $directory -Recurse -Force -ErrorAction SilentlyContinue
        throw
    }
    $clock.Stop()

    $builder = New-Object System.Data.SqlClient.SqlConnectionStringBuilder
    $builder['Data Source'] = "127.0.0.1,$($listening.port)"
    $builder['User ID'] = $User
    $builder['Password'] = $Password
    $builder['Encrypt'] = $false
    $builder['Pooling'] = $false
    $builder['Connect Timeout'] = 15

    $double = [pscustomobject]@{
        PSTypeName        = 'TdsDouble'
        Port              = [int]$listening.port
        ConnectionString  = $builder.ConnectionString
        User              = $User
        LogPath           = $logPath
        RulesPath         = $rulesPath
        Directory         = $directory
        StartMilliseconds = [int]$clock.ElapsedMilliseconds
        Process           = $process
    }
    # Shown by default without ConnectionString, which holds the password.
    $display = New-Object System.Management.Automation.PSPropertySet('DefaultDisplayPropertySet', [string[]]@('Port', 'User', 'LogPath', 'StartMilliseconds'))
    $double | Add-Member -MemberType MemberSet -Name PSStandardMembers -Value ([System.Management.Automation.PSMemberInfo[]]@($display))
    $double
}

function Set-TdsDoubleRule {
    <#
    .SYNOPSIS
        Replaces the rules of a running double (no restart); returns once the double has loaded them.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] $Double,
        [Parameter(Mandatory = $true)] [AllowEmptyCollection()] [hashtable[]] $Rules
    )
    Write-TdsDoubleRuleFile -Path $Double.RulesPath -Rules $Rules
    $Double.Process.StandardInput.WriteLine('reload')
    $Double.Process.StandardInput.Flush()
    $answer = Read-TdsDoubleLine -Process $Double.Process -TimeoutMilliseconds 10000 -What 'reloading rules' | ConvertFrom-Json
    if ($answer.PSObject.Properties['error']) { throw "TDS double: rules refused: $($answer.error)" }
}

function Get-TdsDoubleLog {
    <#
    .SYNOPSIS
        The statements the double received so far (kind, sql, procedure, declaration, parameters with name,
        type, declaredAs and value; rule or unmatched; connection), oldest first.
    .NOTES
        Parameter values keep their JSON form: dates stay ISO text, bigint is text, binary is 0x-hex.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)] $Double)
    if (-not (Test-Path -LiteralPath $Double.LogPath)) { return }
    # PowerShell 7.5+ turns ISO date text into DateTime unless told otherwise; 5.1 leaves it as text anyway.
    $options = @{}
    if ((Get-Command ConvertFrom-Json).Parameters.ContainsKey('DateKind')) { $options['DateKind'] = 'String' }
    $text = [IO.File]::ReadAllText($Double.LogPath, [Text.Encoding]::UTF8)
    $lines = $text.Split([char]10)
    # The last piece is empty, or a line the double is still writing: only complete lines are read.
    for ($i = 0; $i -lt $lines.Length - 1; $i++) {
        if ($lines[$i]) { $lines[$i] | ConvertFrom-Json @options }
    }
}

function Stop-TdsDouble {
    <#
    .SYNOPSIS
        Stops the double (closing its stdin, then killing it if it lingers) and removes its files unless -KeepFiles.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] $Double,
        [switch] $KeepFiles
    )
    $process = $Double.Process
    try {
        if (-not $process.HasExited) {
            try { $process.StandardInput.Close() } catch { Write-Verbose "stdin already closed: $_" }
            if (-not $process.WaitForExit(5000)) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
        }
    } finally {
        $process.Dispose()
        if (-not $KeepFiles) { Remove-Item -LiteralPath $Double.Directory -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Export-ModuleMember -Function Start-TdsDouble, Set-TdsDoubleRule, Get-TdsDoubleLog, Stop-TdsDouble
