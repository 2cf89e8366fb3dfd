<#
    Simulated library servers for the remoting tests: one OpenSSH daemon per server, each bound to its own
    loopback address (127.0.0.2, 127.0.0.3, ...) with its own configuration, host key and library folder, and
    the PowerShell SSH subsystem (this project's pwsh). Key-only authentication, no PAM; the keys live under a
    temporary folder (StrictModes no), and the host keys are written to a known_hosts file beforehand, so no
    connection ever prompts. The daemons are started and stopped by process id, and one can be killed or
    frozen (SIGSTOP) to simulate a server that dies or stops answering.
    Needs /usr/sbin/sshd (Debian's openssh-server, installed by `npm run setup`) and ssh-keygen.
#>
Set-StrictMode -Version 2.0

$script:RepoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
$script:Sshd = '/usr/sbin/sshd'

function Get-FreeTcpPort {
    param([string] $Address)
    $listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Parse($Address)), 0
    $listener.Start()
    try { return ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port } finally { $listener.Stop() }
}

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    $output = & $FilePath @ArgumentList 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed ($LASTEXITCODE): $output" }
}

function Wait-TcpPort {
    param([string] $Address, [int] $Port, [int] $TimeoutMs = 10000)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($watch.ElapsedMilliseconds -lt $TimeoutMs) {
        $client = New-Object System.Net.Sockets.TcpClient
        try {
            $client.Connect($Address, $Port)
            return
        } catch {
            Start-Sleep -Milliseconds 50
        } finally {
            $client.Dispose()
        }
    }
    throw "sshd did not listen on ${Address}:$Port within $TimeoutMs ms"
}

function Start-SshDaemon {
    # -D: stays in the foreground, so the process started is the listening daemon. Its standard streams go to
    # files: a daemon holding the caller's pipes would keep a caller that reads them to the end waiting.
    param([string] $Config, [string] $Folder)
    Start-Process -FilePath $script:Sshd -ArgumentList @('-D', '-f', $Config, '-E', (Join-Path $Folder 'sshd.log')) -PassThru -RedirectStandardInput '/dev/null' -RedirectStandardOutput (Join-Path $Folder 'sshd.out') -RedirectStandardError (Join-Path $Folder 'sshd.err')
}

function Start-SshTestServer {
    <#
        Starts -Count daemons on 127.0.0.2 onwards. Returns one object per server: Name (its address, as the
        sessions see it), Port, ProcessId, Library (its own library folder), plus the client side shared by
        all: KeyFilePath, UserName and SshOption (known_hosts, keepalives) for New-PSSession -Options.
        -ServerAliveInterval / -ServerAliveCountMax bound how long a frozen server can hang a caller.
    #>
    param(
        [int] $Count = 3,
        [string] $Root = (Join-Path ([System.IO.Path]::GetTempPath()) ('vmm-ssh-' + [guid]::NewGuid().ToString('N').Substring(0, 8))),
        [int] $ServerAliveInterval = 1,
        [int] $ServerAliveCountMax = 3
    )
    if (-not (Test-Path -LiteralPath $script:Sshd)) { throw "$script:Sshd is missing: run npm run setup (installs openssh-server)" }
    # The project's pwsh (a dotnet tool: the process path of this session is dotnet itself).
    $pwsh = Join-Path $script:RepoRoot '.tools/pwsh/pwsh'
    if (-not (Test-Path -LiteralPath $pwsh)) { throw "$pwsh is missing: run npm run setup" }
    $null = New-Item -ItemType Directory -Path $Root -Force
    # sshd refuses to start without its privilege-separation directory.
    if (-not (Test-Path -LiteralPath '/run/sshd')) { $null = New-Item -ItemType Directory -Path '/run/sshd' -Force }
    $clientKey = Join-Path $Root 'client_ed25519'
    Invoke-Native ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-C', 'vmm-test-client', '-f', $clientKey)
    $authorized = Join-Path $Root 'authorized_keys'
    Copy-Item -LiteralPath "$clientKey.pub" -Destination $authorized
    $knownHosts = Join-Path $Root 'known_hosts'
    $userName = [System.Environment]::UserName
    $knownLines = New-Object System.Collections.Generic.List[string]
    $servers = New-Object System.Collections.Generic.List[object]
    try {
        for ($i = 0; $i -lt $Count; $i++) {
            $address = "127.0.0.$($i + 2)"
            $port = Get-FreeTcpPort -Address $address
            $folder = Join-Path $Root $address
            $library = Join-Path $folder 'Library'
            $null = New-Item -ItemType Directory -Path $library -Force
            # Its own temporary folder too (what a killed server leaves there goes with the server).
            $temp = Join-Path $folder 'tmp'
            $null = New-Item -ItemType Directory -Path $temp -Force
            $hostKey = Join-Path $folder 'ssh_host_ed25519_key'
            Invoke-Native ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-C', $address, '-f', $hostKey)
            $publicKey = (Get-Content -LiteralPath "$hostKey.pub" -Raw).Trim()
            $knownLines.Add("[$address]:$port $publicKey")
            $config = Join-Path $folder 'sshd_config'
            $pidFile = Join-Path $folder 'sshd.pid'
            @(
                "ListenAddress ${address}:$port"
                "HostKey $hostKey"
                "PidFile $pidFile"
                "AuthorizedKeysFile $authorized"
                'PubkeyAuthentication yes'
                'PasswordAuthentication no'
                'KbdInteractiveAuthentication no'
                'UsePAM no'
                'StrictModes no'
                'PermitRootLogin prohibit-password'
                "AllowUsers $userName"
                'ClientAliveInterval 5'
                'LogLevel ERROR'
                # Each server's sessions start in its own folder (a remote session starts in HOME), with its own
                # temporary folder (TMPDIR), so the same
                # relative -Path ('Library') is each server's own library, as the same local path is on real
                # library servers. sshd runs a subsystem through the user's shell.
                "Subsystem powershell cd $folder && HOME=$folder TMPDIR=$temp exec $pwsh -sshs -NoLogo -NoProfile"
            ) | Set-Content -LiteralPath $config -Encoding ascii
            Invoke-Native $script:Sshd @('-t', '-f', $config)
            $process = Start-SshDaemon -Config $config -Folder $folder
            $servers.Add([pscustomobject]@{
                    Name      = $address
                    Port      = $port
                    ProcessId = $process.Id
                    Library   = $library
                    Temp      = $temp
                    Folder    = $folder
                    Config    = $config
                })
        }
        $knownLines | Set-Content -LiteralPath $knownHosts -Encoding ascii
        foreach ($server in $servers) { Wait-TcpPort -Address $server.Name -Port $server.Port }
    } catch {
        Stop-SshTestServer -Server $servers.ToArray()
        throw
    }
    $sshOption = @{
        UserKnownHostsFile    = $knownHosts
        StrictHostKeyChecking = 'yes'
        ServerAliveInterval   = [string]$ServerAliveInterval
        ServerAliveCountMax   = [string]$ServerAliveCountMax
        ConnectTimeout        = '5'
    }
    foreach ($server in $servers) {
        $server | Add-Member -NotePropertyName KeyFilePath -NotePropertyValue $clientKey
        $server | Add-Member -NotePropertyName UserName -NotePropertyValue $userName
        $server | Add-Member -NotePropertyName SshOption -NotePropertyValue $sshOption
        $server | Add-Member -NotePropertyName Root -NotePropertyValue $Root
    }
    $servers.ToArray()
}

function New-SshTestSession {
    <# One PSSession per server, over SSH, with the keepalives of Start-SshTestServer. #>
    param([Parameter(Mandatory = $true)] [object[]] $Server)
    foreach ($item in $Server) {
        New-PSSession -HostName $item.Name -Port $item.Port -UserName $item.UserName -KeyFilePath $item.KeyFilePath -Options $item.SshOption -ErrorAction Stop
    }
}

function Get-SshTestComputerName {
    <# The -ComputerName form the fan-out accepts for SSH: user@address:port. #>
    param([Parameter(Mandatory = $true)] [object[]] $Server)
    foreach ($item in $Server) { '{0}@{1}:{2}' -f $item.UserName, $item.Name, $item.Port }
}

function Get-SshTestServerChild {
    <# Process ids of the per-connection sshd processes and the pwsh subsystems under one daemon. #>
    param([Parameter(Mandatory = $true)] [object] $Server)
    $children = New-Object System.Collections.Generic.List[int]
    $queue = New-Object System.Collections.Generic.Queue[int]
    $queue.Enqueue([int]$Server.ProcessId)
    while ($queue.Count -gt 0) {
        $parent = $queue.Dequeue()
        $list = "/proc/$parent/task/$parent/children"
        if (-not (Test-Path -LiteralPath $list)) { continue }
        foreach ($child in ((Get-Content -LiteralPath $list -Raw) -split '\s+' | Where-Object { $_ })) {
            $children.Add([int]$child)
            $queue.Enqueue([int]$child)
        }
    }
    $children.ToArray()
}

function Send-SshTestServerSignal {
    <#
        Simulates a fault of one server: Kill sends SIGKILL to its daemon and every process under it (the
        server dies, connections drop); Freeze sends SIGSTOP to the same processes (the server stops answering
        but keeps its sockets open: only keepalives or a timeout notice); Thaw sends SIGCONT.
    #>
    param(
        [Parameter(Mandatory = $true)] [object] $Server,
        [Parameter(Mandatory = $true)] [ValidateSet('Kill', 'Freeze', 'Thaw')] [string] $Signal
    )
    $name = @{ Kill = 'KILL'; Freeze = 'STOP'; Thaw = 'CONT' }[$Signal]
    $ids = @([int]$Server.ProcessId) + @(Get-SshTestServerChild -Server $Server)
    foreach ($id in $ids) { & kill "-$name" $id 2>$null }
}

function Restart-SshTestServer {
    <# Starts a killed server again with the same configuration, address and port (a server back after a crash). #>
    param([Parameter(Mandatory = $true)] [object] $Server)
    $ids = @([int]$Server.ProcessId) + @(Get-SshTestServerChild -Server $Server)
    foreach ($id in $ids) { & kill -KILL $id 2>$null }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ((Test-Path -LiteralPath "/proc/$($Server.ProcessId)") -and $watch.ElapsedMilliseconds -lt 5000) { Start-Sleep -Milliseconds 20 }
    $process = Start-SshDaemon -Config $Server.Config -Folder $Server.Folder
    $Server.ProcessId = $process.Id
    Wait-TcpPort -Address $Server.Name -Port $Server.Port
}

function Stop-SshTestServer {
    <# Stops the daemons (and their sessions) by process id and removes their folders. #>
    param([object[]] $Server, [switch] $KeepFiles)
    foreach ($item in @($Server)) {
        if ($null -eq $item) { continue }
        $ids = @([int]$item.ProcessId) + @(Get-SshTestServerChild -Server $item)
        foreach ($id in $ids) {
            & kill -CONT $id 2>$null
            & kill -KILL $id 2>$null
        }
    }
    if (-not $KeepFiles) {
        $roots = @($Server | Where-Object { $null -ne $_ -and $_.PSObject.Properties['Root'] } | ForEach-Object Root | Select-Object -Unique)
        foreach ($root in $roots) { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Export-ModuleMember -Function Start-SshTestServer, Restart-SshTestServer, New-SshTestSession, Get-SshTestComputerName, Send-SshTestServerSignal, Stop-SshTestServer, Get-SshTestServerChild
